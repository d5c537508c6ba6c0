using k8s.Models;

namespace Gantry.Server.Registry.Rules.AdmissionRegistration;

/// <summary>
/// The parts of kube's v1 webhook defaulting that both kinds share: <c>SetDefaults_Rule</c> (every scope) and
/// <c>SetDefaults_ServiceReference</c> (port 443). The webhook-level defaults live with each kind's rules.
/// </summary>
internal static class WebhookDefaults
{
    public static void Rules(IList<V1RuleWithOperations>? rules)
    {
        foreach (var rule in rules ?? [])
        {
            if (rule is not null)
            {
                rule.Scope ??= WebhookValues.AllScopes;
            }
        }
    }

    public static void ClientConfig(Admissionregistrationv1WebhookClientConfig? config)
    {
        if (config?.Service is { } service)
        {
            service.Port ??= WebhookValues.DefaultServicePort;
        }
    }
}
