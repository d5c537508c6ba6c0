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

    /// <summary>
    /// Every <c>key=value</c> label pair some pod on the node carries: lets affinity terms skip, without
    /// looking at its pods, a node where no pod can match their <c>matchLabels</c>.
    /// </summary>
    public IReadOnlySet<string> PodLabelPairs { get; init; } = LabelPairs(Pods);

    public static bool HasRequiredAntiAffinity(V1Pod pod) =>
        pod.Spec.Affinity?.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution is { Count: > 0 };

    /// <summary>This node with <paramref name="pod"/> placed on it.</summary>
    public NodeInfo With(V1Pod pod, ResourceVector requests) => this with
    {
        Free = Free.Subtract(requests),
        Pods = [.. Pods, pod],
        AntiAffinityPods = HasRequiredAntiAffinity(pod) ? [.. AntiAffinityPods, pod] : AntiAffinityPods,
        PodLabelPairs = pod.Metadata.Labels is { Count: > 0 } ? LabelPairs([pod], PodLabelPairs) : PodLabelPairs,
    };

    public string Name => Node.Metadata.Name;

    public IDictionary<string, string> Labels => Node.Metadata.Labels ?? new Dictionary<string, string>();

    private static HashSet<string> LabelPairs(IEnumerable<V1Pod> pods, IReadOnlySet<string>? existing = null)
    {
        var pairs = existing is null ? new HashSet<string>(StringComparer.Ordinal) : new HashSet<string>(existing, StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            foreach (var (key, value) in pod.Metadata.Labels ?? new Dictionary<string, string>())
            {
                pairs.Add($"{key}={value}");
            }
        }

        return pairs;
    }
}
