using k8s.Models;

namespace Gantry.Server.Admission.Webhooks;

/// <summary>
/// One webhook of a stored configuration, read once per version of it: its rules and selectors parsed, its
/// policies decided (kube's v1 defaults where a field is unset).
/// </summary>
/// <param name="FailClosed">Whether a failed call refuses the write (<c>failurePolicy: Fail</c>).</param>
/// <param name="ReviewVersion">The AdmissionReview version sent: the first of the webhook's that Gantry speaks.</param>
/// <param name="ReinvokeIfNeeded">A mutating webhook called again when a later one changed the object (<c>reinvocationPolicy: IfNeeded</c>).</param>
/// <param name="Conditions">Its CEL <c>matchConditions</c>, compiled.</param>
public sealed record Webhook(
    string Name,
    string ConfigurationName,
    MatchCriteria Criteria,
    bool FailClosed,
    TimeSpan Timeout,
    string ReviewVersion,
    Admissionregistrationv1WebhookClientConfig ClientConfig,
    bool ReinvokeIfNeeded,
    MatchConditions Conditions)
{
    public const string ReviewV1 = "v1";
    public const string ReviewV1Beta1 = "v1beta1";

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public static Webhook Of(string configurationName, V1MutatingWebhook hook) =>
        Of(configurationName, hook.Name, hook.Rules, hook.FailurePolicy, hook.MatchPolicy, hook.NamespaceSelector, hook.ObjectSelector,
            hook.TimeoutSeconds, hook.AdmissionReviewVersions, hook.ClientConfig, hook.ReinvocationPolicy == "IfNeeded", hook.MatchConditions);

    public static Webhook Of(string configurationName, V1ValidatingWebhook hook) =>
        Of(configurationName, hook.Name, hook.Rules, hook.FailurePolicy, hook.MatchPolicy, hook.NamespaceSelector, hook.ObjectSelector,
            hook.TimeoutSeconds, hook.AdmissionReviewVersions, hook.ClientConfig, reinvokeIfNeeded: false, hook.MatchConditions);

    private static Webhook Of(
        string configurationName,
        string name,
        IList<V1RuleWithOperations>? rules,
        string? failurePolicy,
        string? matchPolicy,
        V1LabelSelector? namespaceSelector,
        V1LabelSelector? objectSelector,
        int? timeoutSeconds,
        IList<string>? reviewVersions,
        Admissionregistrationv1WebhookClientConfig clientConfig,
        bool reinvokeIfNeeded,
        IList<V1MatchCondition>? matchConditions) =>
        new(
            name,
            configurationName,
            MatchCriteria.Of(rules, matchPolicy, namespaceSelector, objectSelector),
            failurePolicy != "Ignore",
            timeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : DefaultTimeout,
            reviewVersions?.FirstOrDefault(v => v is ReviewV1 or ReviewV1Beta1) ?? ReviewV1,
            clientConfig,
            reinvokeIfNeeded,
            MatchConditions.Of(matchConditions));
}
