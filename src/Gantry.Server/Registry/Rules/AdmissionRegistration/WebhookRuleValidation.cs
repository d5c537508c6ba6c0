using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules.AdmissionRegistration;

/// <summary>
/// kube's <c>validateRuleWithOperations</c> and <c>validateRule</c> (with subresources allowed) for the rules of a
/// webhook: the operations, API groups, versions and resources it matches, each either a list of names or <c>*</c> alone.
/// </summary>
internal static class WebhookRuleValidation
{
    public static void Validate(V1RuleWithOperations rule, FieldPath path, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var operations = Strings(rule.Operations);
        if (operations.Count == 0)
        {
            errors.Add(FieldErrors.Required(path.Child("operations")));
        }

        if (operations.Count > 1 && operations.Contains(WebhookValues.OperationAll))
        {
            errors.Add(FieldErrors.Invalid(path.Child("operations"), OperationTypes(operations), "if '*' is present, must not specify other operations"));
        }

        for (var i = 0; i < operations.Count; i++)
        {
            if (!WebhookValues.Operations.Contains(operations[i]))
            {
                errors.Add(FieldErrors.NotSupported(path.Child("operations").Index(i), operations[i], WebhookValues.Operations));
            }
        }

        ValidateRule(rule, path, errors);
    }

    private static void ValidateRule(V1RuleWithOperations rule, FieldPath path, List<FieldError> errors)
    {
        var groups = Strings(rule.ApiGroups);
        if (groups.Count == 0)
        {
            errors.Add(FieldErrors.Required(path.Child("apiGroups")));
        }

        if (groups.Count > 1 && groups.Contains("*"))
        {
            errors.Add(FieldErrors.Invalid(path.Child("apiGroups"), GoValue.Strings(groups), "if '*' is present, must not specify other API groups"));
        }

        // A group may be empty: the legacy core API.
        var versions = Strings(rule.ApiVersions);
        if (versions.Count == 0)
        {
            errors.Add(FieldErrors.Required(path.Child("apiVersions")));
        }

        if (versions.Count > 1 && versions.Contains("*"))
        {
            errors.Add(FieldErrors.Invalid(path.Child("apiVersions"), GoValue.Strings(versions), "if '*' is present, must not specify other API versions"));
        }

        for (var i = 0; i < versions.Count; i++)
        {
            if (versions[i].Length == 0)
            {
                errors.Add(FieldErrors.Required(path.Child("apiVersions").Index(i)));
            }
        }

        WebhookResourceValidation.Validate(Strings(rule.Resources), path.Child("resources"), errors);
        if (rule.Scope is { } scope && !WebhookValues.Scopes.Contains(scope))
        {
            errors.Add(FieldErrors.NotSupported(path.Child("scope"), scope, WebhookValues.Scopes));
        }
    }

    /// <summary>A list as kube's internal object holds it: an absent list is empty, an absent entry an empty string.</summary>
    private static List<string> Strings(IList<string>? values) => (values ?? []).Select(v => v ?? "").ToList();

    /// <summary>The operations as Go's <c>%#v</c> prints kube's internal <c>[]admissionregistration.OperationType</c>.</summary>
    private static GoValue OperationTypes(List<string> operations) =>
        new("[]admissionregistration.OperationType{" + string.Join(", ", operations.Select(GoValue.Quote)) + "}");
}
