using k8s.Models;

namespace Gantry.Server.Scheduling;

/// <summary>
/// One pod on one node as <see cref="PodAffinityIndex"/> holds it. Compared by reference: the same pod
/// object listed twice is two placements, each counted and removed on its own.
/// </summary>
internal sealed class PlacedPod(V1Pod pod, string node, string[] labelPairs)
{
    public V1Pod Pod { get; } = pod;

    public string Node { get; } = node;

    /// <summary>The pod's labels as <c>key=value</c>, the keys of the index's buckets.</summary>
    public string[] LabelPairs { get; } = labelPairs;
}
