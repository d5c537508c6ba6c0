namespace Gantry.Server.Registry.Rules.AdmissionRegistration;

/// <summary>
/// The enumerated values of admissionregistration.k8s.io/v1 ValidatingAdmissionPolicies and their bindings, in the order
/// kube's <c>supported values</c> messages list them: sorted where kube lists a set, as written where it lists a slice.
/// </summary>
internal static class PolicyValues
{
    public const string Deny = "Deny";
    public const string Warn = "Warn";
    public const string Audit = "Audit";

    /// <summary>A validation's <c>reason</c>: kube's <c>supportedValidationPolicyReason</c>.</summary>
    public static readonly string[] Reasons = ["Forbidden", "Invalid", "RequestEntityTooLarge", "Unauthorized"];

    /// <summary>A binding's <c>validationActions</c>: kube's <c>validValidationActions</c>.</summary>
    public static readonly string[] ValidationActions = [Audit, Deny, Warn];

    /// <summary>A paramRef's <c>parameterNotFoundAction</c>, in the order kube's message lists them (not sorted).</summary>
    public static readonly string[] ParameterNotFoundActions = [Deny, "Allow"];
}
