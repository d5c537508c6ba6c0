using Gantry.Core.Resources;
using Gantry.Server.Registry;
using Gantry.Server.Storage;
using k8s;
using k8s.Models;

namespace Gantry.Server.Admission.Policies;

/// <summary>
/// The stored ValidatingAdmissionPolicies, each with the bindings that apply it, as kube's policy source pairs them (a
/// policy without a binding, and a binding whose policy does not exist, apply nothing); policies in name order, each
/// one's bindings in name order, so that the first refusal is the same on every server (kube's order is a map's). Each kind is read again only after one of its objects changed, so a write with no
/// policy pays two revision checks, and a policy takes effect from the first write after it is stored.
/// </summary>
public sealed class AdmissionPolicies(WatchCache cache)
{
    public static readonly ResourceType PolicyType = ResourceCatalog.Get("admissionregistration.k8s.io", "validatingadmissionpolicies");

    public static readonly ResourceType BindingType = ResourceCatalog.Get("admissionregistration.k8s.io", "validatingadmissionpolicybindings");

    private readonly BucketReading<IReadOnlyList<ValidatingPolicy>> _policies =
        new(cache, PolicyType.KeyPrefix, () => Read<V1ValidatingAdmissionPolicy, ValidatingPolicy>(cache, PolicyType, ValidatingPolicy.Of));

    private readonly BucketReading<IReadOnlyList<PolicyBinding>> _bindings =
        new(cache, BindingType.KeyPrefix, () => Read<V1ValidatingAdmissionPolicyBinding, PolicyBinding>(cache, BindingType, PolicyBinding.Of));

    private volatile Pairing? _pairing;

    /// <summary>Each policy that some binding applies, with those bindings.</summary>
    public IReadOnlyList<BoundPolicy> Current
    {
        get
        {
            var policies = _policies.Current;
            var bindings = _bindings.Current;
            if (_pairing is { } pairing && ReferenceEquals(pairing.Policies, policies) && ReferenceEquals(pairing.Bindings, bindings))
            {
                return pairing.Bound;
            }

            var byPolicy = bindings.ToLookup(b => b.PolicyName, StringComparer.Ordinal);
            var bound = policies
                .Where(p => byPolicy.Contains(p.Name))
                .Select(p => new BoundPolicy(p, [.. byPolicy[p.Name]]))
                .ToList();
            _pairing = new Pairing(policies, bindings, bound);
            return bound;
        }
    }

    private static List<TCompiled> Read<TStored, TCompiled>(WatchCache cache, ResourceType type, Func<TStored, TCompiled> compile)
        where TStored : class, IKubernetesObject<V1ObjectMeta> =>
        cache.List(type.KeyPrefix, new WatchFilter(type.KeyPrefix)).Items
            .Select(item => (TStored)ObjectDecoder.DecodeStored(type, item.Json))
            .OrderBy(obj => obj.Metadata.Name, StringComparer.Ordinal)
            .Select(compile)
            .ToList();

    /// <summary>The policies and bindings as last paired, swapped whole so that readers take no lock.</summary>
    private sealed record Pairing(IReadOnlyList<ValidatingPolicy> Policies, IReadOnlyList<PolicyBinding> Bindings, IReadOnlyList<BoundPolicy> Bound);
}
