namespace Gantry.Server.Registry.Rules.AdmissionRegistration;

/// <summary>
/// The enumerated values of admissionregistration.k8s.io/v1 webhooks. The arrays are in the order kube's
/// <c>sets.String.List()</c> gives them (sorted), which is the order its <c>supported values</c> messages list them in.
/// </summary>
internal static class WebhookValues
{
    public const string Fail = "Fail";
    public const string Ignore = "Ignore";

    public const string Exact = "Exact";
    public const string Equivalent = "Equivalent";

    public const string SideEffectsNone = "None";
    public const string SideEffectsNoneOnDryRun = "NoneOnDryRun";
    public const string SideEffectsSome = "Some";
    public const string SideEffectsUnknown = "Unknown";

    public const string Never = "Never";
    public const string IfNeeded = "IfNeeded";

    public const string AllScopes = "*";
    public const string ClusterScope = "Cluster";
    public const string NamespacedScope = "Namespaced";

    public const string OperationAll = "*";

    public const int DefaultTimeoutSeconds = 10;
    public const int DefaultServicePort = 443;

    public static readonly string[] FailurePolicies = [Fail, Ignore];

    public static readonly string[] MatchPolicies = [Equivalent, Exact];

    /// <summary>What a webhook may declare; v1 objects may only declare <see cref="NoSideEffects"/> unless the stored one did not.</summary>
    public static readonly string[] SideEffectClasses = [SideEffectsNone, SideEffectsNoneOnDryRun, SideEffectsSome, SideEffectsUnknown];

    public static readonly string[] NoSideEffects = [SideEffectsNone, SideEffectsNoneOnDryRun];

    public static readonly string[] ReinvocationPolicies = [IfNeeded, Never];

    public static readonly string[] Scopes = [AllScopes, ClusterScope, NamespacedScope];

    public static readonly string[] Operations = [OperationAll, "CONNECT", "CREATE", "DELETE", "UPDATE"];

    /// <summary>kube's <c>AcceptedAdmissionReviewVersions</c>: the AdmissionReview versions the API server can send.</summary>
    public static readonly string[] AcceptedAdmissionReviewVersions = ["v1", "v1beta1"];
}
