using k8s.Models;

namespace Gantry.Agent.Policy;

/// <summary>
/// The cluster as the NetworkPolicy enforcer last saw it: every NetworkPolicy, every pod with an address, the labels
/// of every namespace, and the Services and EndpointSlices (for traffic a pod sends to a ClusterIP).
/// </summary>
public sealed record PolicyView(
    IReadOnlyList<V1NetworkPolicy> Policies,
    IReadOnlyList<V1Pod> Pods,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> NamespaceLabels,
    IReadOnlyList<V1Service> Services,
    IReadOnlyList<V1EndpointSlice> Slices);
