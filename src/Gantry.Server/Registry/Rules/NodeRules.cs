using Gantry.Core.Resources;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// Nodes: allocatable defaults to capacity (<c>SetDefaults_NodeStatus</c>); taints and pod CIDRs are
/// validated, and pod CIDRs and the provider ID may only be set once.
/// </summary>
public sealed class NodeRules() : ResourceRules<V1Node>(ResourceCatalog.Get("", "nodes"))
{
    private static readonly string[] TaintEffects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

    protected override void Default(V1Node obj)
    {
        if (obj.Status is { Allocatable: null, Capacity: { } capacity } status)
        {
            status.Allocatable = capacity.ToDictionary(p => p.Key, p => new ResourceQuantity(p.Value.ToString()));
        }
    }

    protected override void Validate(V1Node obj, List<FieldError> errors)
    {
        // apimachinery reports node taints under "metadata.taints", not "spec.taints".
        ValidateTaints(obj.Spec?.Taints ?? [], FieldPath.Of("metadata", "taints"), errors);
        var cidrs = obj.Spec?.PodCIDRs ?? [];
        var path = FieldPath.Of("spec", "podCIDRs");
        for (var i = 0; i < cidrs.Count; i++)
        {
            if (!IsCidr(cidrs[i]))
            {
                errors.Add(FieldErrors.Invalid(path.Index(i), cidrs[i], "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"));
            }
        }

        if (cidrs.Count > 1 && cidrs.Distinct(StringComparer.Ordinal).Count() != cidrs.Count)
        {
            errors.Add(FieldErrors.Invalid(path, GoValue.Strings(cidrs), "may specify no more than one CIDR for each IP family"));
        }
    }

    protected override void ValidateUpdate(V1Node obj, V1Node old, List<FieldError> errors)
    {
        Validate(obj, errors);
        var cidrs = obj.Spec?.PodCIDRs ?? [];
        var oldCidrs = old.Spec?.PodCIDRs ?? [];
        if (oldCidrs.Count > 0 && !oldCidrs.SequenceEqual(cidrs))
        {
            errors.Add(FieldErrors.Forbidden(FieldPath.Of("spec", "podCIDRs"), "node updates may not change podCIDR except from \"\" to valid"));
        }

        var providerId = old.Spec?.ProviderID ?? "";
        if (providerId.Length > 0 && providerId != (obj.Spec?.ProviderID ?? ""))
        {
            errors.Add(FieldErrors.Forbidden(FieldPath.Of("spec", "providerID"), "node updates may not change providerID except from \"\" to valid"));
        }
    }

    private static void ValidateTaints(IList<V1Taint> taints, FieldPath path, List<FieldError> errors)
    {
        var seen = new HashSet<(string?, string)>();
        for (var i = 0; i < taints.Count; i++)
        {
            var taint = taints[i];
            var taintPath = path.Index(i);
            errors.AddRange(ObjectMetaValidation.ValidateLabelName(taint.Key ?? "", taintPath.Child("key")));
            var valueMessages = FormatValidation.IsValidLabelValue(taint.Value ?? "");
            if (valueMessages.Count > 0)
            {
                errors.Add(FieldErrors.Invalid(taintPath.Child("value"), taint.Value ?? "", string.Join(";", valueMessages)));
            }

            PodSpecValidation.ValidateEnum(taint.Effect, TaintEffects, taintPath.Child("effect"), errors);
            if (!seen.Add((taint.Effect, taint.Key ?? "")))
            {
                errors.Add(new FieldError(FieldErrorType.Duplicate, taintPath.ToString(), "taints must be unique by key and effect pair",
                    new GoValue($"core.Taint{{Key:{GoValue.Quote(taint.Key ?? "")}, Value:{GoValue.Quote(taint.Value ?? "")}, Effect:{GoValue.Quote(taint.Effect ?? "")}, TimeAdded:<nil>}}")));
            }
        }
    }

    private static bool IsCidr(string? value)
    {
        var slash = value?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        return slash > 0 && System.Net.IPNetwork.TryParse(value, out _);
    }
}
