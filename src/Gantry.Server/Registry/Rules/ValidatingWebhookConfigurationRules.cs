using Gantry.Core.Resources;
using Gantry.Core.Validation;
using Gantry.Server.Registry.Rules.AdmissionRegistration;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// ValidatingWebhookConfigurations (admissionregistration.k8s.io/v1), as kube 1.32's v1 defaulting and
/// <c>ValidateValidatingWebhookConfiguration</c> / <c>…Update</c> treat them: each webhook has a fully qualified name unique
/// in the configuration, rules of operations and resources, a client config of exactly one https URL or service,
/// sideEffects None or NoneOnDryRun, a timeout of 1 to 30 seconds and an AdmissionReview version the server sends. An
/// update relaxes the checks the stored configuration already failed. <c>matchConditions</c> must compile, and be
/// expressions Gantry's CEL engine can evaluate.
/// </summary>
public sealed class ValidatingWebhookConfigurationRules()
    : ResourceRules<V1ValidatingWebhookConfiguration>(ResourceCatalog.Get("admissionregistration.k8s.io", "validatingwebhookconfigurations"))
{
    /// <summary>kube's v1 <c>SetDefaults_ValidatingWebhook</c>, with its rules and service reference.</summary>
    protected override void Default(V1ValidatingWebhookConfiguration obj)
    {
        foreach (var hook in obj.Webhooks ?? [])
        {
            if (hook is null)
            {
                continue;
            }

            hook.FailurePolicy ??= WebhookValues.Fail;
            hook.MatchPolicy ??= WebhookValues.Equivalent;
            hook.NamespaceSelector ??= new V1LabelSelector();
            hook.ObjectSelector ??= new V1LabelSelector();
            hook.TimeoutSeconds ??= WebhookValues.DefaultTimeoutSeconds;
            WebhookDefaults.Rules(hook.Rules);
            WebhookDefaults.ClientConfig(hook.ClientConfig);
        }
    }

    protected override void Validate(V1ValidatingWebhookConfiguration obj, List<FieldError> errors) =>
        errors.AddRange(WebhookValidation.Validate(WebhookFields.Of(obj.Webhooks), WebhookValidationOptions.Create));

    protected override void ValidateUpdate(V1ValidatingWebhookConfiguration obj, V1ValidatingWebhookConfiguration old, List<FieldError> errors) =>
        errors.AddRange(WebhookValidation.Validate(WebhookFields.Of(obj.Webhooks), WebhookValidationOptions.ForUpdate(WebhookFields.Of(old.Webhooks))));
}
