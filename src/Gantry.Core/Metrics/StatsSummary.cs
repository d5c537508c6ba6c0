namespace Gantry.Core.Metrics;

/// <summary>
/// What an agent's <c>/stats/summary</c> answers: the node's and each running container's CPU and memory, in the
/// words of the kubelet's Summary API (<c>k8s.io/kubelet/pkg/apis/stats/v1alpha1</c>), of which it keeps what the
/// resource metrics API needs. The API server turns it into NodeMetrics and PodMetrics.
/// </summary>
public sealed record StatsSummary(NodeStats Node, IReadOnlyList<PodStats> Pods);
