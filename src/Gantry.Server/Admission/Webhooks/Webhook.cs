using Gantry.Core.Selectors;
using k8s.Models;

namespace Gantry.Server.Admission.Webhooks;

/// <summary>
/// One webhook of a stored configuration, read once per version of it: its rules, selectors and selectors parsed, its
/// policies decided (kube's v1 defaults where a field is unset).
/// </summary>
/// <param name="FailClosed">Whether a failed call refuses the write (<c>failurePolicy: Fail</c>).</param>
/// <param name="MatchEquivalent">Whether a rule also matches the request's resource in its stored version (<c>matchPolicy: Equivalent</c>).</param>
/// <param name="ReviewVersion">The AdmissionReview version sent: the first of the webhook's that Gantry speaks.</param>
/// <param name="ReinvokeIfNeeded">A mutating webhook called again when a later one changed the object (<c>reinvocationPolicy: IfNeeded</c>).</param>
/// <param name="Conditions">Its CEL <c>matchConditions</c>, compiled.</param>
public sealed record Webhook(
    string Name,
    string ConfigurationName,
    IReadOnlyList<V1RuleWithOperations> Rules,
    bool FailClosed,
    bool MatchEquivalent,
    LabelSelector NamespaceSelector,
    LabelSelector ObjectSelector,
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
            [.. rules ?? []],
            failurePolicy != "Ignore",
            matchPolicy != "Exact",
            Selector(namespaceSelector),
            Selector(objectSelector),
            timeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : DefaultTimeout,
            reviewVersions?.FirstOrDefault(v => v is ReviewV1 or ReviewV1Beta1) ?? ReviewV1,
            clientConfig,
            reinvokeIfNeeded,
            MatchConditions.Of(matchConditions));

    // An unset selector selects everything (kube defaults it to {}); validation refused the ones that do not parse.
    private static LabelSelector Selector(V1LabelSelector? selector) =>
        selector is null ? LabelSelector.Empty : LabelSelector.FromModelOrNothing(selector);
}
