using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// kube's <c>pkg/apis/rbac/validation</c>, shared by the four RBAC types: a rule's verbs and what it applies to, a
/// binding's role reference and its subjects.
/// </summary>
public static class RbacValidation
{
    public const string GroupName = "rbac.authorization.k8s.io";

    private static readonly string[] SubjectKinds = ["ServiceAccount", "User", "Group"];

    /// <summary><c>validatePolicyRule</c>: a namespaced role's rules cannot name non-resource URLs.</summary>
    public static void ValidateRules(IList<V1PolicyRule>? rules, bool isNamespaced, List<FieldError> errors)
    {
        for (var i = 0; i < (rules?.Count ?? 0); i++)
        {
            ValidateRule(rules![i], isNamespaced, FieldPath.Of("rules").Index(i), errors);
        }
    }

    private static void ValidateRule(V1PolicyRule rule, bool isNamespaced, FieldPath path, List<FieldError> errors)
    {
        if (rule.Verbs is not { Count: > 0 })
        {
            errors.Add(FieldErrors.Required(path.Child("verbs"), "verbs must contain at least one value"));
        }

        if (rule.NonResourceURLs is { Count: > 0 } urls)
        {
            if (isNamespaced)
            {
                errors.Add(FieldErrors.Invalid(path.Child("nonResourceURLs"), GoValue.Strings(urls), "namespaced rules cannot apply to non-resource URLs"));
            }

            if (rule.ApiGroups is { Count: > 0 } || rule.Resources is { Count: > 0 } || rule.ResourceNames is { Count: > 0 })
            {
                errors.Add(FieldErrors.Invalid(path.Child("nonResourceURLs"), GoValue.Strings(urls), "rules cannot apply to both regular resources and non-resource URLs"));
            }

            return;
        }

        if (rule.ApiGroups is not { Count: > 0 })
        {
            errors.Add(FieldErrors.Required(path.Child("apiGroups"), "resource rules must supply at least one api group"));
        }

        if (rule.Resources is not { Count: > 0 })
        {
            errors.Add(FieldErrors.Required(path.Child("resources"), "resource rules must supply at least one resource"));
        }

        if (rule.ResourceNames is { Count: > 0 } && rule.Resources is { Count: > 1 })
        {
            errors.Add(FieldErrors.Required(path.Child("resourceNames"), "resource names cannot apply to multiple resources"));
        }
    }

    /// <summary>The role reference and subjects of a RoleBinding (<paramref name="isNamespaced"/>) or ClusterRoleBinding.</summary>
    public static void ValidateBinding(V1RoleRef? roleRef, IList<Rbacv1Subject>? subjects, bool isNamespaced, List<FieldError> errors)
    {
        var refPath = FieldPath.Of("roleRef");
        var apiGroup = roleRef?.ApiGroup ?? "";
        if (apiGroup != GroupName)
        {
            errors.Add(FieldErrors.NotSupported(refPath.Child("apiGroup"), apiGroup, [GroupName]));
        }

        string[] kinds = isNamespaced ? ["Role", "ClusterRole"] : ["ClusterRole"];
        var kind = roleRef?.Kind ?? "";
        if (!kinds.Contains(kind, StringComparer.Ordinal))
        {
            errors.Add(FieldErrors.NotSupported(refPath.Child("kind"), kind, kinds));
        }

        var name = roleRef?.Name ?? "";
        if (name.Length == 0)
        {
            errors.Add(FieldErrors.Required(refPath.Child("name")));
        }
        else
        {
            errors.AddRange(FormatValidation.IsValidPathSegmentName(name).Select(m => FieldErrors.Invalid(refPath.Child("name"), name, m)));
        }

        for (var i = 0; i < (subjects?.Count ?? 0); i++)
        {
            ValidateSubject(subjects![i], isNamespaced, FieldPath.Of("subjects").Index(i), errors);
        }
    }

    /// <summary><c>ValidateRoleBindingUpdate</c>: a binding keeps the role it was made for.</summary>
    public static void ValidateRoleRefUnchanged(V1RoleRef? roleRef, V1RoleRef? old, List<FieldError> errors)
    {
        if ((roleRef?.ApiGroup ?? "", roleRef?.Kind ?? "", roleRef?.Name ?? "") != (old?.ApiGroup ?? "", old?.Kind ?? "", old?.Name ?? ""))
        {
            errors.Add(FieldErrors.Invalid(FieldPath.Of("roleRef"), GoRoleRef(roleRef), "cannot change roleRef"));
        }
    }

    private static void ValidateSubject(Rbacv1Subject subject, bool isNamespaced, FieldPath path, List<FieldError> errors)
    {
        var name = subject.Name ?? "";
        var apiGroup = subject.ApiGroup ?? "";
        if (name.Length == 0)
        {
            errors.Add(FieldErrors.Required(path.Child("name")));
        }

        switch (subject.Kind)
        {
            case "ServiceAccount":
                if (name.Length > 0)
                {
                    errors.AddRange(FormatValidation.IsDns1123Subdomain(name).Select(m => FieldErrors.Invalid(path.Child("name"), name, m)));
                }

                if (apiGroup.Length > 0)
                {
                    errors.Add(FieldErrors.NotSupported(path.Child("apiGroup"), apiGroup, [""]));
                }

                if (!isNamespaced && string.IsNullOrEmpty(subject.NamespaceProperty))
                {
                    errors.Add(FieldErrors.Required(path.Child("namespace")));
                }

                break;
            case "User" or "Group":
                if (name.Length == 0)
                {
                    errors.Add(FieldErrors.Invalid(path.Child("name"), name, $"{subject.Kind.ToLowerInvariant()} name cannot be empty"));
                }

                if (apiGroup != GroupName)
                {
                    errors.Add(FieldErrors.NotSupported(path.Child("apiGroup"), apiGroup, [GroupName]));
                }

                break;
            default:
                errors.Add(FieldErrors.NotSupported(path.Child("kind"), subject.Kind ?? "", SubjectKinds));
                break;
        }
    }

    /// <summary>The reference as Go's <c>%#v</c> prints kube's internal <c>rbac.RoleRef</c>.</summary>
    private static GoValue GoRoleRef(V1RoleRef? roleRef) => new(
        $"rbac.RoleRef{{APIGroup:{GoValue.Quote(roleRef?.ApiGroup ?? "")}, Kind:{GoValue.Quote(roleRef?.Kind ?? "")}, Name:{GoValue.Quote(roleRef?.Name ?? "")}}}");
}
