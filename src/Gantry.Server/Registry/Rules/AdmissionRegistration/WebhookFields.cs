using k8s.Models;

namespace Gantry.Server.Registry.Rules.AdmissionRegistration;

/// <summary>
/// The fields a <see cref="V1MutatingWebhook"/> and a <see cref="V1ValidatingWebhook"/> share, so that one validation
/// serves both kinds. <see cref="Mutating"/> says whether <see cref="ReinvocationPolicy"/> is a field of the webhook.
/// </summary>
internal sealed record WebhookFields(
    string? Name,
    IList<V1RuleWithOperations>? Rules,
    string? FailurePolicy,
    string? MatchPolicy,
    string? SideEffects,
    int? TimeoutSeconds,
    V1LabelSelector? NamespaceSelector,
    V1LabelSelector? ObjectSelector,
    bool Mutating,
    string? ReinvocationPolicy,
    Admissionregistrationv1WebhookClientConfig? ClientConfig,
    IList<V1MatchCondition>? MatchConditions,
    IList<string>? AdmissionReviewVersions)
{
    public static WebhookFields Of(V1MutatingWebhook hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        return new(hook.Name, hook.Rules, hook.FailurePolicy, hook.MatchPolicy, hook.SideEffects, hook.TimeoutSeconds,
            hook.NamespaceSelector, hook.ObjectSelector, true, hook.ReinvocationPolicy, hook.ClientConfig, hook.MatchConditions,
            hook.AdmissionReviewVersions);
    }

    public static WebhookFields Of(V1ValidatingWebhook hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        return new(hook.Name, hook.Rules, hook.FailurePolicy, hook.MatchPolicy, hook.SideEffects, hook.TimeoutSeconds,
            hook.NamespaceSelector, hook.ObjectSelector, false, null, hook.ClientConfig, hook.MatchConditions,
            hook.AdmissionReviewVersions);
    }

    public static IReadOnlyList<WebhookFields> Of(IEnumerable<V1MutatingWebhook>? hooks) => (hooks ?? []).Select(h => Of(h ?? new())).ToList();

    public static IReadOnlyList<WebhookFields> Of(IEnumerable<V1ValidatingWebhook>? hooks) => (hooks ?? []).Select(h => Of(h ?? new())).ToList();
}
