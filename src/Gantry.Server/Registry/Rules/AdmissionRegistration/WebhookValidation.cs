using Gantry.Core.Validation;

namespace Gantry.Server.Registry.Rules.AdmissionRegistration;

/// <summary>
/// kube's <c>validateMutatingWebhookConfiguration</c> and <c>validateValidatingWebhookConfiguration</c> over the fields
/// both kinds of webhook share: each webhook in turn (<c>validate…Webhook</c>, then its admissionReviewVersions), and its
/// name unique within the configuration. Errors come in kube's order.
/// </summary>
internal static class WebhookValidation
{
    private const int MinTimeoutSeconds = 1;
    private const int MaxTimeoutSeconds = 30;

    private static readonly FieldPath Webhooks = FieldPath.Of("webhooks");

    public static IReadOnlyList<FieldError> Validate(IReadOnlyList<WebhookFields> hooks, WebhookValidationOptions options)
    {
        ArgumentNullException.ThrowIfNull(hooks);
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<FieldError>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < hooks.Count; i++)
        {
            var hook = hooks[i];
            var path = Webhooks.Index(i);
            ValidateWebhook(hook, options, path, errors);
            ReviewVersionValidation.Validate(
                hook.AdmissionReviewVersions, WebhookValues.AcceptedAdmissionReviewVersions, options.RequireRecognizedAdmissionReviewVersion,
                path.Child("admissionReviewVersions"), errors, "must specify one of " + string.Join(", ", WebhookValues.AcceptedAdmissionReviewVersions));
            if (options.RequireUniqueWebhookNames && hook.Name is { Length: > 0 } name && !names.Add(name))
            {
                errors.Add(FieldErrors.Duplicate(path.Child("name"), name));
            }
        }

        return errors;
    }

    /// <summary>kube's <c>validateMutatingWebhook</c> / <c>validateValidatingWebhook</c>.</summary>
    private static void ValidateWebhook(WebhookFields hook, WebhookValidationOptions options, FieldPath path, List<FieldError> errors)
    {
        WebhookNameValidation.Validate(hook.Name ?? "", path.Child("name"), errors);
        var rules = hook.Rules ?? [];
        for (var i = 0; i < rules.Count; i++)
        {
            WebhookRuleValidation.Validate(rules[i] ?? new(), path.Child("rules").Index(i), errors);
        }

        if (hook.FailurePolicy is { } failurePolicy && !WebhookValues.FailurePolicies.Contains(failurePolicy))
        {
            errors.Add(FieldErrors.NotSupported(path.Child("failurePolicy"), failurePolicy, WebhookValues.FailurePolicies));
        }

        if (hook.MatchPolicy is { } matchPolicy && !WebhookValues.MatchPolicies.Contains(matchPolicy))
        {
            errors.Add(FieldErrors.NotSupported(path.Child("matchPolicy"), matchPolicy, WebhookValues.MatchPolicies));
        }

        var allowedSideEffects = options.RequireNoSideEffects ? WebhookValues.NoSideEffects : WebhookValues.SideEffectClasses;
        if (hook.SideEffects is not { } sideEffects)
        {
            errors.Add(FieldErrors.Required(path.Child("sideEffects"), "must specify one of " + string.Join(", ", allowedSideEffects)));
        }
        else if (!allowedSideEffects.Contains(sideEffects))
        {
            errors.Add(FieldErrors.NotSupported(path.Child("sideEffects"), sideEffects, allowedSideEffects));
        }

        if (hook.TimeoutSeconds is { } timeout and (< MinTimeoutSeconds or > MaxTimeoutSeconds))
        {
            errors.Add(FieldErrors.Invalid(path.Child("timeoutSeconds"), timeout, "the timeout value must be between 1 and 30 seconds"));
        }

        errors.AddRange(LabelSelectorValidation.Validate(hook.NamespaceSelector, path.Child("namespaceSelector"), options.AllowInvalidLabelValueInSelector));
        errors.AddRange(LabelSelectorValidation.Validate(hook.ObjectSelector, path.Child("objectSelector"), options.AllowInvalidLabelValueInSelector));
        if (hook.Mutating && hook.ReinvocationPolicy is { } reinvocation && !WebhookValues.ReinvocationPolicies.Contains(reinvocation))
        {
            errors.Add(FieldErrors.NotSupported(path.Child("reinvocationPolicy"), reinvocation, WebhookValues.ReinvocationPolicies));
        }

        WebhookClientConfigValidation.Validate(hook.ClientConfig, path.Child("clientConfig"), errors);

        MatchConditionValidation.Validate(hook.MatchConditions, path.Child("matchConditions"), errors);
    }
}
