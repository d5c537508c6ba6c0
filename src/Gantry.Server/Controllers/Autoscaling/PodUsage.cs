using Gantry.Core.Metrics;

namespace Gantry.Server.Controllers.Autoscaling;

/// <summary>
/// A pod's usage as the resource metrics API reports it: each container with a CPU rate and a working set, in
/// milli-units (millicores of cpu, thousandths of a byte of memory, as kube's metrics client reads quantities), stamped
/// with the earliest container sample and its window, as metrics-server stamps a PodMetrics.
/// </summary>
internal sealed record PodUsage(string Namespace, string Name, DateTimeOffset Timestamp, TimeSpan Window, IReadOnlyList<(string Name, IReadOnlyDictionary<string, long> Values)> Containers)
{
    /// <summary>The usage of a pod's stats; null when no container has a CPU rate yet, as metrics-server has no metrics for it.</summary>
    public static PodUsage? From(PodStats stats)
    {
        var containers = stats.Containers.Where(c => c.Cpu is { UsageNanoCores: not null, Window: not null } && c.Memory is not null).ToList();
        if (containers.Count == 0)
        {
            return null;
        }

        var earliest = containers.Select(c => c.Cpu!).MinBy(cpu => cpu.Time)!;
        return new PodUsage(
            stats.PodRef.Namespace,
            stats.PodRef.Name,
            earliest.Time,
            earliest.Window!.Value,
            containers.Select(c => (c.Name, (IReadOnlyDictionary<string, long>)new Dictionary<string, long>(StringComparer.Ordinal)
            {
                // Quantity.MilliValue rounds up, as here.
                ["cpu"] = (long)((c.Cpu!.UsageNanoCores!.Value + 999_999) / 1_000_000),
                ["memory"] = (long)c.Memory!.WorkingSetBytes * 1000,
            })).ToList());
    }
}
