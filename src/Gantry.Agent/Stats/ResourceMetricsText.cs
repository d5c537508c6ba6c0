using System.Globalization;
using System.Text;
using Gantry.Core.Metrics;

namespace Gantry.Agent.Stats;

/// <summary>
/// The agent's <c>/metrics/resource</c>: the kubelet's resource metrics endpoint, what metrics-server scrapes, in the
/// Prometheus text format, from the same samples as <c>/stats/summary</c>. Each value carries its sample's time, as the
/// kubelet's do. A pod's figures are the sums of its containers' (the kubelet reads the pod's cgroup, which adds only
/// the pod's own overhead); a figure not yet sampled is left out.
/// </summary>
public static class ResourceMetricsText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(StatsSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var text = new StringBuilder();
        var containers = summary.Pods
            .SelectMany(pod => pod.Containers.Select(container => (Labels: Labels(("container", container.Name), ("namespace", pod.PodRef.Namespace), ("pod", pod.PodRef.Name)), Container: container)))
            .ToList();

        Family(text, "container_cpu_usage_seconds_total", "counter", "Cumulative cpu time consumed by the container in core-seconds",
            containers.Where(c => c.Container.Cpu is not null).Select(c => (c.Labels, Seconds(c.Container.Cpu!.UsageCoreNanoSeconds), (DateTimeOffset?)c.Container.Cpu!.Time)));
        Family(text, "container_memory_working_set_bytes", "gauge", "Current working set of the container in bytes",
            containers.Where(c => c.Container.Memory is not null).Select(c => (c.Labels, (double)c.Container.Memory!.WorkingSetBytes, (DateTimeOffset?)c.Container.Memory!.Time)));
        Family(text, "container_start_time_seconds", "gauge", "Start time of the container since unix epoch in seconds",
            containers.Select(c => (c.Labels, c.Container.StartTime.ToUnixTimeMilliseconds() / 1000.0, (DateTimeOffset?)c.Container.StartTime)));

        Family(text, "node_cpu_usage_seconds_total", "counter", "Cumulative cpu time consumed by the node in core-seconds",
            summary.Node.Cpu is { } nodeCpu ? [("", Seconds(nodeCpu.UsageCoreNanoSeconds), nodeCpu.Time)] : []);
        Family(text, "node_memory_working_set_bytes", "gauge", "Current working set of the node in bytes",
            summary.Node.Memory is { } nodeMemory ? [("", (double)nodeMemory.WorkingSetBytes, nodeMemory.Time)] : []);

        var pods = summary.Pods.Select(pod => (Labels: Labels(("namespace", pod.PodRef.Namespace), ("pod", pod.PodRef.Name)), Pod: pod)).ToList();
        Family(text, "pod_cpu_usage_seconds_total", "counter", "Cumulative cpu time consumed by the pod in core-seconds",
            pods.Where(p => p.Pod.Containers.Count > 0 && p.Pod.Containers.All(c => c.Cpu is not null))
                .Select(p => (p.Labels, Seconds(p.Pod.Containers.Aggregate(0UL, (sum, c) => sum + c.Cpu!.UsageCoreNanoSeconds)), (DateTimeOffset?)p.Pod.Containers.Max(c => c.Cpu!.Time))));
        Family(text, "pod_memory_working_set_bytes", "gauge", "Current working set of the pod in bytes",
            pods.Where(p => p.Pod.Containers.Count > 0 && p.Pod.Containers.All(c => c.Memory is not null))
                .Select(p => (p.Labels, (double)p.Pod.Containers.Aggregate(0UL, (sum, c) => sum + c.Memory!.WorkingSetBytes), (DateTimeOffset?)p.Pod.Containers.Max(c => c.Memory!.Time))));

        Family(text, "resource_scrape_error", "gauge", "1 if there was an error while getting container metrics, 0 otherwise", [("", 0d, null)]);
        return text.ToString();
    }

    private static void Family(
        StringBuilder text, string name, string type, string help, IEnumerable<(string Labels, double Value, DateTimeOffset? Time)> samples)
    {
        text.Append("# HELP ").Append(name).Append(" [STABLE] ").Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        foreach (var (labels, value, time) in samples)
        {
            text.Append(name).Append(labels).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture));
            if (time is { } at)
            {
                text.Append(' ').Append(at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
            }

            text.Append('\n');
        }
    }

    private static double Seconds(ulong nanoseconds) => nanoseconds / 1e9;

    /// <summary>Prometheus labels, their values escaped as its text format asks.</summary>
    private static string Labels(params (string Name, string Value)[] labels) =>
        "{" + string.Join(',', labels.Select(l => $"{l.Name}=\"{l.Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"")) + "}";
}
