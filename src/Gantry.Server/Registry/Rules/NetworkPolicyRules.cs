using Gantry.Core.Resources;
using Gantry.Core.Validation;
using Gantry.Server.Registry.Rules.Networking;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// NetworkPolicies (networking.k8s.io/v1), as kube 1.32's v1 defaulting, <c>ValidateNetworkPolicy</c> and
/// <c>ValidateNetworkPolicyUpdate</c> treat them: every port has a protocol (TCP unless given), a policy without types
/// isolates ingress (and egress when it has egress rules), and its selectors, ports, peers and types are checked. An
/// update is checked as a create, except that a policy stored with a pod selector that no longer validates may keep
/// label values in its selectors that kube stopped accepting.
/// </summary>
public sealed class NetworkPolicyRules() : ResourceRules<V1NetworkPolicy>(ResourceCatalog.Get("networking.k8s.io", "networkpolicies"))
{
    public const string IngressType = "Ingress";
    public const string EgressType = "Egress";

    private const string DefaultProtocol = "TCP";

    // kube lists them in this order in its NotSupported message.
    private static readonly string[] PolicyTypes = [IngressType, EgressType];

    private static readonly FieldPath Spec = FieldPath.Of("spec");

    /// <summary>kube's <c>SetDefaults_NetworkPolicyPort</c> and <c>SetDefaults_NetworkPolicy</c>.</summary>
    protected override void Default(V1NetworkPolicy obj)
    {
        var spec = obj.Spec ??= new V1NetworkPolicySpec();

        // Go writes the pod selector even when it is empty (it is no pointer and not omitempty), so kube always shows it.
        spec.PodSelector ??= new V1LabelSelector();
        var ports = (spec.Ingress ?? []).SelectMany(r => r?.Ports ?? []).Concat((spec.Egress ?? []).SelectMany(r => r?.Ports ?? []));
        foreach (var port in ports.OfType<V1NetworkPolicyPort>())
        {
            port.Protocol ??= DefaultProtocol;
        }

        if (spec.PolicyTypes is not { Count: > 0 })
        {
            spec.PolicyTypes = spec.Egress is { Count: > 0 } ? [IngressType, EgressType] : [IngressType];
        }
    }

    protected override void Validate(V1NetworkPolicy obj, List<FieldError> errors) =>
        ValidateSpec(obj.Spec ?? new V1NetworkPolicySpec(), allowInvalidLabelValues: false, errors);

    /// <summary>
    /// kube's <c>ValidationOptionsForNetworking</c>: label values kube stopped accepting stay allowed in every selector of
    /// the policy when the stored pod selector fails validation.
    /// </summary>
    protected override void ValidateUpdate(V1NetworkPolicy obj, V1NetworkPolicy old, List<FieldError> errors)
    {
        var storedSelectorInvalid = LabelSelectorValidation.Validate(old.Spec?.PodSelector, FieldPath.Root).Count > 0;
        ValidateSpec(obj.Spec ?? new V1NetworkPolicySpec(), storedSelectorInvalid, errors);
    }

    /// <summary>kube's <c>ValidateNetworkPolicySpec</c>, its errors in kube's order.</summary>
    private static void ValidateSpec(V1NetworkPolicySpec spec, bool allowInvalidLabelValues, List<FieldError> errors)
    {
        errors.AddRange(LabelSelectorValidation.Validate(spec.PodSelector ?? new V1LabelSelector(), Spec.Child("podSelector"), allowInvalidLabelValues));
        var ingress = spec.Ingress ?? [];
        for (var i = 0; i < ingress.Count; i++)
        {
            var path = Spec.Child("ingress").Index(i);
            ValidateRule(ingress[i]?.Ports, ingress[i]?.FromProperty, "from", path, allowInvalidLabelValues, errors);
        }

        var egress = spec.Egress ?? [];
        for (var i = 0; i < egress.Count; i++)
        {
            var path = Spec.Child("egress").Index(i);
            ValidateRule(egress[i]?.Ports, egress[i]?.To, "to", path, allowInvalidLabelValues, errors);
        }

        ValidatePolicyTypes(spec.PolicyTypes ?? [], errors);
    }

    /// <summary>An ingress or egress rule: its ports, then its peers (<c>from</c> or <c>to</c>, named by <paramref name="peersField"/>).</summary>
    private static void ValidateRule(
        IList<V1NetworkPolicyPort>? ports, IList<V1NetworkPolicyPeer>? peers, string peersField, FieldPath path, bool allowInvalidLabelValues, List<FieldError> errors)
    {
        var portList = ports ?? [];
        for (var i = 0; i < portList.Count; i++)
        {
            NetworkPolicyPortValidation.Validate(portList[i] ?? new V1NetworkPolicyPort(), path.Child("ports").Index(i), errors);
        }

        var peerList = peers ?? [];
        for (var i = 0; i < peerList.Count; i++)
        {
            NetworkPolicyPeerValidation.Validate(peerList[i] ?? new V1NetworkPolicyPeer(), allowInvalidLabelValues, path.Child(peersField).Index(i), errors);
        }
    }

    private static void ValidatePolicyTypes(IList<string> types, List<FieldError> errors)
    {
        if (types.Count > PolicyTypes.Length)
        {
            var value = new GoValue("[]networking.PolicyType{" + string.Join(", ", types.Select(t => GoValue.Quote(t ?? ""))) + "}");
            errors.Add(FieldErrors.Invalid(Spec.Child("policyTypes"), value, "may not specify more than two policyTypes"));
            return;
        }

        for (var i = 0; i < types.Count; i++)
        {
            if (!PolicyTypes.Contains(types[i]))
            {
                errors.Add(FieldErrors.NotSupported(Spec.Child("policyTypes").Index(i), types[i] ?? "", PolicyTypes));
            }
        }
    }
}
