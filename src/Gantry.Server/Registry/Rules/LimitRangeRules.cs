using System.Globalization;
using Gantry.Core.Resources;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// LimitRanges, as kube defaults (<c>SetDefaults_LimitRangeItem</c>) and validates (<c>ValidateLimitRange</c>) them. A
/// Container item's default limit is its max, its default request its default limit or else its min; then for each
/// resource min ≤ default request ≤ default ≤ max, a max limit/request ratio of at least 1 and no more than max/min.
/// Quantities in messages are printed as quantities (kube prints the Go struct).
/// </summary>
public sealed class LimitRangeRules() : ResourceRules<V1LimitRange>(ResourceCatalog.Get("", "limitranges"))
{
    private static readonly FieldPath Limits = FieldPath.Of("spec", "limits");
    private static readonly HashSet<string> Types = new(["Pod", "Container", "PersistentVolumeClaim"], StringComparer.Ordinal);
    private static readonly HashSet<string> ContainerResources = new(["cpu", "memory", "ephemeral-storage"], StringComparer.Ordinal);

    protected override void Default(V1LimitRange obj)
    {
        foreach (var item in obj.Spec?.Limits ?? [])
        {
            if (item.Type != "Container")
            {
                continue;
            }

            var defaults = item.DefaultProperty ??= new Dictionary<string, ResourceQuantity>();
            var requests = item.DefaultRequest ??= new Dictionary<string, ResourceQuantity>();
            foreach (var (name, max) in item.Max ?? new Dictionary<string, ResourceQuantity>())
            {
                defaults.TryAdd(name, max);
            }

            foreach (var (name, limit) in defaults)
            {
                requests.TryAdd(name, limit);
            }

            foreach (var (name, min) in item.Min ?? new Dictionary<string, ResourceQuantity>())
            {
                requests.TryAdd(name, min);
            }
        }
    }

    protected override void Validate(V1LimitRange obj, List<FieldError> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var items = obj.Spec?.Limits ?? [];
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var at = Limits.Index(i);
            var type = item.Type ?? "";
            ValidateTypeName(type, at.Child("type"), errors);
            if (!seen.Add(type))
            {
                errors.Add(FieldErrors.Duplicate(at.Child("type"), type));
            }

            var keys = new SortedSet<string>(StringComparer.Ordinal);
            Collect(item.Max, type, at.Child("max"), keys, errors);
            Collect(item.Min, type, at.Child("min"), keys, errors);
            if (type == "Pod")
            {
                if (item.DefaultProperty is { Count: > 0 })
                {
                    errors.Add(FieldErrors.Forbidden(at.Child("default"), "may not be specified when `type` is 'Pod'"));
                }

                if (item.DefaultRequest is { Count: > 0 })
                {
                    errors.Add(FieldErrors.Forbidden(at.Child("defaultRequest"), "may not be specified when `type` is 'Pod'"));
                }
            }
            else
            {
                Collect(item.DefaultProperty, type, at.Child("default"), keys, errors);
                Collect(item.DefaultRequest, type, at.Child("defaultRequest"), keys, errors);
            }

            if (type == "PersistentVolumeClaim" && item.Min?.ContainsKey("storage") != true && item.Max?.ContainsKey("storage") != true)
            {
                errors.Add(FieldErrors.Required(at.Child("limits"), "either minimum or maximum storage value is required, but neither was provided"));
            }

            Collect(item.MaxLimitRequestRatio, type, at.Child("maxLimitRequestRatio"), keys, errors);
            foreach (var key in keys)
            {
                ValidateOrder(item, key, at, errors);
            }
        }
    }

    private static void ValidateOrder(V1LimitRangeItem item, string key, FieldPath at, List<FieldError> errors)
    {
        var min = Find(item.Min, key);
        var max = Find(item.Max, key);
        var limit = Find(item.DefaultProperty, key);
        var request = Find(item.DefaultRequest, key);
        var ratio = Find(item.MaxLimitRequestRatio, key);
        if (min is not null && max is not null && min.ToDecimal() > max.ToDecimal())
        {
            errors.Add(FieldErrors.Invalid(at.Child("min").Key(key), min.ToString(), $"min value {min} is greater than max value {max}"));
        }

        if (request is not null && min is not null && min.ToDecimal() > request.ToDecimal())
        {
            errors.Add(FieldErrors.Invalid(at.Child("defaultRequest").Key(key), request.ToString(), $"min value {min} is greater than default request value {request}"));
        }

        if (request is not null && max is not null && request.ToDecimal() > max.ToDecimal())
        {
            errors.Add(FieldErrors.Invalid(at.Child("defaultRequest").Key(key), request.ToString(), $"default request value {request} is greater than max value {max}"));
        }

        if (request is not null && limit is not null && request.ToDecimal() > limit.ToDecimal())
        {
            errors.Add(FieldErrors.Invalid(at.Child("defaultRequest").Key(key), request.ToString(), $"default request value {request} is greater than default limit value {limit}"));
        }

        if (limit is not null && min is not null && min.ToDecimal() > limit.ToDecimal())
        {
            errors.Add(FieldErrors.Invalid(at.Child("default").Key(key), min.ToString(), $"min value {min} is greater than default value {limit}"));
        }

        if (limit is not null && max is not null && limit.ToDecimal() > max.ToDecimal())
        {
            errors.Add(FieldErrors.Invalid(at.Child("default").Key(key), max.ToString(), $"default value {limit} is greater than max value {max}"));
        }

        if (ratio is not null && ratio.ToDecimal() < 1)
        {
            errors.Add(FieldErrors.Invalid(at.Child("maxLimitRequestRatio").Key(key), ratio.ToString(), $"ratio {ratio} is less than 1"));
        }

        if (ratio is not null && min is not null && max is not null && min.ToDecimal() != 0)
        {
            var bound = max.ToDecimal() / min.ToDecimal();
            if (ratio.ToDecimal() > bound)
            {
                errors.Add(FieldErrors.Invalid(at.Child("maxLimitRequestRatio").Key(key), ratio.ToString(),
                    $"ratio {ratio} is greater than max/min = {bound.ToString("F6", CultureInfo.InvariantCulture)}"));
            }
        }

        if (!PodSpecValidation.IsOvercommitAllowed(key) && limit is not null && request is not null && limit.ToDecimal() != request.ToDecimal())
        {
            errors.Add(FieldErrors.Invalid(at.Child("defaultRequest").Key(key), request.ToString(),
                $"default value {limit} must equal to defaultRequest value {request} in {key}"));
        }
    }

    /// <summary>Validates each resource name of one list for the item's type and adds it to the names to compare.</summary>
    private static void Collect(IDictionary<string, ResourceQuantity>? list, string type, FieldPath path, SortedSet<string> keys, List<FieldError> errors)
    {
        foreach (var name in (list?.Keys ?? []).Order(StringComparer.Ordinal))
        {
            var at = path.Key(name);
            var qualified = FormatValidation.IsQualifiedName(name);
            errors.AddRange(qualified.Select(m => FieldErrors.Invalid(at, name, m)));
            if (qualified.Count == 0 && !name.Contains('/', StringComparison.Ordinal))
            {
                if (type is "Pod" or "Container" && !ContainerResources.Contains(name) && !name.StartsWith("hugepages-", StringComparison.Ordinal))
                {
                    errors.Add(FieldErrors.Invalid(at, name, "must be a standard resource for containers"));
                }
                else if (type == "PersistentVolumeClaim" && name != "storage")
                {
                    errors.Add(FieldErrors.Invalid(at, name, "must be a standard resource type or fully qualified"));
                }
            }

            keys.Add(name);
        }
    }

    private static void ValidateTypeName(string type, FieldPath path, List<FieldError> errors)
    {
        var qualified = FormatValidation.IsQualifiedName(type);
        errors.AddRange(qualified.Select(m => FieldErrors.Invalid(path, type, m)));
        if (qualified.Count == 0 && !type.Contains('/', StringComparison.Ordinal) && !Types.Contains(type))
        {
            errors.Add(FieldErrors.Invalid(path, type, "must be a standard limit type or fully qualified"));
        }
    }

    private static ResourceQuantity? Find(IDictionary<string, ResourceQuantity>? list, string key) =>
        list is not null && list.TryGetValue(key, out var quantity) ? quantity : null;
}
