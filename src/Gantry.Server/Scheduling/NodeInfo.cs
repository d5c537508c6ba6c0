using Gantry.Server.Kernel;
using k8s.Models;

namespace Gantry.Server.Scheduling;

/// <summary>
/// A node as one scheduling decision sees it: the Node object, what it can hold, what the scheduler
/// may use of it now (its offers), and the pods on it (for host ports and affinity).
/// </summary>
public sealed record NodeInfo(V1Node Node, ResourceVector Allocatable, ResourceVector Free, IReadOnlyList<V1Pod> Pods)
{
    /// <summary>The pods of <see cref="Pods"/> with required anti-affinity terms: the few every placement must check.</summary>
    public IReadOnlyList<V1Pod> AntiAffinityPods { get; init; } = [.. Pods.Where(HasRequiredAntiAffinity)];

    public static bool HasRequiredAntiAffinity(V1Pod pod) =>
        pod.Spec.Affinity?.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution is { Count: > 0 };

    /// <summary>This node with <paramref name="pod"/> placed on it.</summary>
    public NodeInfo With(V1Pod pod, ResourceVector requests) => this with
    {
        Free = Free.Subtract(requests),
        Pods = [.. Pods, pod],
        AntiAffinityPods = HasRequiredAntiAffinity(pod) ? [.. AntiAffinityPods, pod] : AntiAffinityPods,
    };

    public string Name => Node.Metadata.Name;

    public IDictionary<string, string> Labels => Node.Metadata.Labels ?? new Dictionary<string, string>();
}
