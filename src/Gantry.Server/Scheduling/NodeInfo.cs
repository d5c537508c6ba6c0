using Gantry.Server.Kernel;
using k8s.Models;

namespace Gantry.Server.Scheduling;

/// <summary>
/// A node as one scheduling decision sees it: the Node object, what it can hold, what the scheduler
/// may use of it now (its offers), and the pods on it (for host ports and affinity).
/// </summary>
public sealed record NodeInfo(V1Node Node, ResourceVector Allocatable, ResourceVector Free, IReadOnlyList<V1Pod> Pods)
{
    /// <summary>This node with <paramref name="pod"/> placed on it.</summary>
    public NodeInfo With(V1Pod pod, ResourceVector requests) => this with { Free = Free.Subtract(requests), Pods = [.. Pods, pod] };

    public string Name => Node.Metadata.Name;

    public IDictionary<string, string> Labels => Node.Metadata.Labels ?? new Dictionary<string, string>();
}
