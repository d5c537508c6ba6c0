using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using k8s.Models;

namespace Gantry.Tests.Registry.AdmissionRegistration;

/// <summary>Valid webhooks to break one field at a time, and the rules that check them.</summary>
internal static class WebhookFixtures
{
    public static readonly IResourceRules Validating = new ValidatingWebhookConfigurationRules();
    public static readonly IResourceRules Mutating = new MutatingWebhookConfigurationRules();

    public static V1ValidatingWebhook ValidatingHook(string name = "pods.policy.example.com") => new()
    {
        Name = name,
        ClientConfig = new Admissionregistrationv1WebhookClientConfig
        {
            Service = new Admissionregistrationv1ServiceReference { Name = "policy", NamespaceProperty = "policy-system", Path = "/validate" },
        },
        Rules =
        [
            new V1RuleWithOperations { Operations = ["CREATE", "UPDATE"], ApiGroups = [""], ApiVersions = ["v1"], Resources = ["pods"] },
        ],
        SideEffects = "None",
        AdmissionReviewVersions = ["v1"],
    };

    public static V1MutatingWebhook MutatingHook(string name = "pods.defaults.example.com") => new()
    {
        Name = name,
        ClientConfig = new Admissionregistrationv1WebhookClientConfig { Url = "https://defaults.example.com/mutate" },
        Rules = [new V1RuleWithOperations { Operations = ["CREATE"], ApiGroups = ["apps"], ApiVersions = ["v1"], Resources = ["deployments"] }],
        SideEffects = "NoneOnDryRun",
        AdmissionReviewVersions = ["v1", "v1beta1"],
    };

    public static V1ValidatingWebhookConfiguration Configuration(params V1ValidatingWebhook[] hooks) => new()
    {
        Metadata = new V1ObjectMeta { Name = "policy" },
        Webhooks = hooks,
    };

    public static V1MutatingWebhookConfiguration Configuration(params V1MutatingWebhook[] hooks) => new()
    {
        Metadata = new V1ObjectMeta { Name = "defaults" },
        Webhooks = hooks,
    };

    /// <summary>What a create of one validating webhook reports, after defaulting, as kubectl prints the causes.</summary>
    public static IEnumerable<string> Errors(V1ValidatingWebhook hook) => Errors(Configuration(hook));

    public static IEnumerable<string> Errors(V1ValidatingWebhookConfiguration configuration)
    {
        Validating.Default(configuration);
        return Validating.ValidateCreate(configuration).Select(e => e.ToString()).ToList();
    }

    public static IEnumerable<string> Errors(V1MutatingWebhookConfiguration configuration)
    {
        Mutating.Default(configuration);
        return Mutating.ValidateCreate(configuration).Select(e => e.ToString()).ToList();
    }

    public static IEnumerable<string> UpdateErrors(V1ValidatingWebhook hook, V1ValidatingWebhook old)
    {
        var configuration = Configuration(hook);
        var stored = Configuration(old);
        Validating.Default(configuration);
        Validating.Default(stored);
        return Validating.ValidateUpdate(configuration, stored).Select(e => e.ToString()).ToList();
    }
}
