using Gantry.Core.Resources;
using Gantry.Core.Validation;
using Gantry.Server.Registry.Quota;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// ResourceQuotas, as kube's <c>ValidateResourceQuota</c> checks them: each held resource a standard quota name (or a
/// qualified one, such as <c>count/deployments.apps</c>) with a non-negative amount, whole for countable resources; scopes
/// known, not in conflict, and applied to resources they can hold; the scopes fixed once set. The status (what the
/// quota controller and admission write) passes the same checks.
/// </summary>
public sealed class ResourceQuotaRules() : ResourceRules<V1ResourceQuota>(ResourceCatalog.Get("", "resourcequotas"))
{
    private static readonly FieldPath Spec = FieldPath.Of("spec");
    private static readonly FieldPath Status = FieldPath.Of("status");

    private static readonly HashSet<string> StandardNames = new(
        [
            "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.storage", "requests.ephemeral-storage",
            "limits.cpu", "limits.memory", "limits.ephemeral-storage", "pods", "resourcequotas", "services", "replicationcontrollers",
            "secrets", "persistentvolumeclaims", "configmaps", "services.nodeports", "services.loadbalancers",
        ],
        StringComparer.Ordinal);

    private static readonly HashSet<string> IntegerNames = new(
        ["pods", "resourcequotas", "services", "replicationcontrollers", "secrets", "persistentvolumeclaims", "configmaps", "services.nodeports", "services.loadbalancers"],
        StringComparer.Ordinal);

    /// <summary>What a scope other than BestEffort may hold (kube's pod object count and compute resources).</summary>
    private static readonly HashSet<string> PodScopedNames = new(
        ["pods", "cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory"], StringComparer.Ordinal);

    private static readonly string[] Operators = ["In", "NotIn", "Exists", "DoesNotExist"];

    private static readonly string[] ExistsOnlyScopes =
        [QuotaScopes.Terminating, QuotaScopes.NotTerminating, QuotaScopes.BestEffort, QuotaScopes.NotBestEffort, QuotaScopes.CrossNamespacePodAffinity];

    protected override void Validate(V1ResourceQuota obj, List<FieldError> errors)
    {
        var spec = obj.Spec ?? new V1ResourceQuotaSpec();
        ValidateAmounts(spec.Hard, Spec.Child("hard"), errors);
        ValidateScopes(spec, errors);
        ValidateScopeSelector(spec, errors);
        ValidateAmounts(obj.Status?.Hard, Status.Child("hard"), errors);
        ValidateAmounts(obj.Status?.Used, Status.Child("used"), errors);
    }

    protected override void ValidateUpdate(V1ResourceQuota obj, V1ResourceQuota old, List<FieldError> errors)
    {
        Validate(obj, errors);
        var scopes = obj.Spec?.Scopes ?? [];
        var oldScopes = old.Spec?.Scopes ?? [];
        if (!scopes.Order(StringComparer.Ordinal).SequenceEqual(oldScopes.Order(StringComparer.Ordinal)))
        {
            errors.Add(FieldErrors.Invalid(Spec.Child("scopes"), ScopesValue(scopes), "field is immutable"));
        }
    }

    protected override void ValidateStatusUpdate(V1ResourceQuota obj, V1ResourceQuota old, List<FieldError> errors)
    {
        ValidateAmounts(obj.Status?.Hard, Status.Child("hard"), errors);
        ValidateAmounts(obj.Status?.Used, Status.Child("used"), errors);
    }

    /// <summary>kube's <c>ValidateResourceQuotaResourceName</c> and <c>ValidateResourceQuantityValue</c>, in name order.</summary>
    private static void ValidateAmounts(IDictionary<string, ResourceQuantity>? amounts, FieldPath path, List<FieldError> errors)
    {
        foreach (var (name, quantity) in (amounts ?? new Dictionary<string, ResourceQuantity>()).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var at = path.Key(name);
            var qualified = FormatValidation.IsQualifiedName(name);
            errors.AddRange(qualified.Select(m => FieldErrors.Invalid(at, name, m)));
            if (!name.Contains('/', StringComparison.Ordinal))
            {
                if (qualified.Count == 0 && !IsStandardResource(name))
                {
                    errors.Add(FieldErrors.Invalid(at, name, "must be a standard resource type or fully qualified"));
                }

                if (!IsStandard(name))
                {
                    errors.Add(FieldErrors.Invalid(at, name, "must be a standard resource for quota"));
                }
            }

            var amount = quantity?.ToDecimal() ?? 0;
            if (amount < 0)
            {
                errors.Add(FieldErrors.Invalid(at, GoValue.QuantityText(quantity!), FormatValidation.IsNegative));
            }

            if (IsInteger(name) && decimal.Truncate(amount) != amount)
            {
                errors.Add(FieldErrors.Invalid(at, GoValue.QuantityText(quantity!), "must be an integer"));
            }
        }
    }

    private static void ValidateScopes(V1ResourceQuotaSpec spec, List<FieldError> errors)
    {
        if (spec.Scopes is not { Count: > 0 } scopes)
        {
            return;
        }

        var path = Spec.Child("scopes");
        var value = ScopesValue(scopes);
        var held = (spec.Hard?.Keys ?? []).Where(IsStandard).ToList();
        foreach (var scope in scopes)
        {
            if (!QuotaScopes.All.Contains(scope))
            {
                errors.Add(FieldErrors.Invalid(path, value, "unsupported scope"));
            }

            errors.AddRange(held.Where(name => !IsValidFor(scope, name)).Select(_ => FieldErrors.Invalid(path, value, "unsupported scope applied to resource")));
        }

        if (Conflicting(scopes))
        {
            errors.Add(FieldErrors.Invalid(path, value, "conflicting scopes"));
        }
    }

    private static void ValidateScopeSelector(V1ResourceQuotaSpec spec, List<FieldError> errors)
    {
        if (spec.ScopeSelector?.MatchExpressions is not { Count: > 0 } requirements)
        {
            return;
        }

        var path = Spec.Child("scopeSelector").Child("matchExpressions");
        var held = (spec.Hard?.Keys ?? []).Where(IsStandard).ToList();
        foreach (var requirement in requirements)
        {
            var scope = requirement.ScopeName ?? "";
            if (!QuotaScopes.All.Contains(scope))
            {
                errors.Add(FieldErrors.Invalid(path.Child("scopeName"), scope, "unsupported scope"));
            }

            errors.AddRange(held.Where(name => !IsValidFor(scope, name))
                .Select(_ => FieldErrors.Invalid(path.Child("scopeName"), scope, "unsupported scope applied to resource")));
            var op = requirement.OperatorProperty ?? "";
            if (ExistsOnlyScopes.Contains(scope) && op != "Exists")
            {
                errors.Add(FieldErrors.Invalid(path.Child("operator"), op,
                    "must be 'Exists' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, " +
                    "ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity"));
            }

            var values = requirement.Values ?? [];
            switch (op)
            {
                case "In" or "NotIn" when values.Count == 0:
                    errors.Add(FieldErrors.Required(path.Child("values"), "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"));
                    break;
                case "Exists" or "DoesNotExist" when values.Count > 0:
                    errors.Add(FieldErrors.Invalid(path.Child("values"), GoValue.Strings(values),
                        "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"));
                    break;
                case var other when !Operators.Contains(other):
                    errors.Add(FieldErrors.Invalid(path.Child("operator"), other, "not a valid selector operator"));
                    break;
            }
        }

        if (Conflicting(requirements.Select(r => r.ScopeName ?? "").ToList()))
        {
            errors.Add(FieldErrors.Invalid(path, GoValue.Struct("[]core.ScopedResourceSelectorRequirement"), "conflicting scopes"));
        }
    }

    private static bool Conflicting(IList<string> scopes) =>
        (scopes.Contains(QuotaScopes.BestEffort) && scopes.Contains(QuotaScopes.NotBestEffort))
        || (scopes.Contains(QuotaScopes.Terminating) && scopes.Contains(QuotaScopes.NotTerminating));

    /// <summary>kube's <c>IsResourceQuotaScopeValidForResource</c>: BestEffort holds only pods.</summary>
    private static bool IsValidFor(string scope, string name) =>
        scope == QuotaScopes.BestEffort ? name == "pods" : !QuotaScopes.All.Contains(scope) || PodScopedNames.Contains(name);

    /// <summary>kube's <c>IsStandardResourceName</c>: what quota may hold, and <c>storage</c>, which only claims ask for.</summary>
    private static bool IsStandardResource(string name) => IsStandard(name) || name == "storage";

    /// <summary>kube's <c>IsStandardQuotaResourceName</c>.</summary>
    private static bool IsStandard(string name) =>
        StandardNames.Contains(name) || name.StartsWith("hugepages-", StringComparison.Ordinal) || name.StartsWith("requests.hugepages-", StringComparison.Ordinal);

    /// <summary>kube's <c>IsIntegerResourceName</c>: object counts and extended resources.</summary>
    private static bool IsInteger(string name) =>
        IntegerNames.Contains(name)
        || name.StartsWith("count/", StringComparison.Ordinal)
        || (name.Contains('/', StringComparison.Ordinal) && !name.StartsWith("kubernetes.io/", StringComparison.Ordinal));

    private static GoValue ScopesValue(IEnumerable<string> scopes) =>
        new("[]core.ResourceQuotaScope{" + string.Join(", ", scopes.Select(GoValue.Quote)) + "}");
}
