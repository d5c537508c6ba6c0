using Gantry.Agent.Cgroups;
using Gantry.Agent.Runtimes;
using Gantry.Core.Metrics;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Stats;

/// <summary>
/// Samples the node's and every running container's usage on one loop, as cadvisor's housekeeping does for the
/// kubelet, and keeps the latest <see cref="StatsSummary"/> for <c>/stats/summary</c>: a few file reads per
/// container every <see cref="Interval"/>, however many pods the node runs, and nothing read when the API asks.
/// CPU is the rate between a container's last two samples, so a container has a CPU figure from its second sample on;
/// one seen first while young counts from its start, when its cgroup's counter was zero, as metrics-server does.
/// </summary>
public sealed class ResourceUsageSampler(
    string nodeName, UsageReader reader, CgroupManager cgroups, Func<IEnumerable<ContainerHandle>> runningContainers, TimeProvider time, ILogger logger)
{
    /// <summary>metrics-server scrapes every 15 s by default and cadvisor samples every 10 to 15 s.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    /// <summary>A shorter window than this, from a container's start, says more about its start-up than its usage.</summary>
    private static readonly TimeSpan MinimumWindow = TimeSpan.FromSeconds(5);

    private Dictionary<string, UsageSample> _containers = [];
    private UsageSample? _node;
    private volatile StatsSummary _summary = new(new NodeStats(nodeName, null, null), []);

    /// <summary>The latest sample, or an empty one before the first.</summary>
    public StatsSummary Summary => _summary;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                Sample();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                logger.LogWarning(ex, "Sampling the node's resource usage failed; trying again in {Interval}", Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Takes one sample of the node and its containers and publishes the summary.</summary>
    public void Sample()
    {
        var now = time.GetUtcNow();
        var samples = new Dictionary<string, UsageSample>(StringComparer.Ordinal);
        var pods = new List<PodStats>();
        foreach (var pod in runningContainers().GroupBy(h => h.PodUid))
        {
            var containers = new List<ContainerStats>();
            foreach (var handle in pod)
            {
                if (reader.ReadCgroup(cgroups.ContainerPath(handle.PodUid, handle.Id), now) is not { } sample)
                {
                    continue;
                }

                samples[handle.Id] = sample;
                containers.Add(new ContainerStats(
                    handle.ContainerName, handle.CreatedAt, Cpu(PreviousOf(handle, now), sample), new MemoryStats(now, sample.WorkingSetBytes)));
            }

            if (containers.Count > 0)
            {
                var first = pod.First();
                pods.Add(new PodStats(new PodReference(first.PodName, first.PodNamespace, first.PodUid), containers));
            }
        }

        var node = reader.ReadNode(now);
        var nodeStats = node is { } n ? new NodeStats(nodeName, Cpu(_node, n), new MemoryStats(now, n.WorkingSetBytes)) : new NodeStats(nodeName, null, null);
        _containers = samples;
        _node = node;
        _summary = new StatsSummary(nodeStats, pods);
    }

    private UsageSample? PreviousOf(ContainerHandle handle, DateTimeOffset now)
    {
        if (_containers.TryGetValue(handle.Id, out var previous))
        {
            return previous;
        }

        var age = now - handle.CreatedAt;
        return age >= MinimumWindow && age <= 2 * Interval ? new UsageSample(handle.CreatedAt, 0, 0) : null;
    }

    private static CpuStats Cpu(UsageSample? previous, UsageSample last)
    {
        var rate = previous is { } p ? CpuRate.Between(p, last) : null;
        return new CpuStats(last.Time, last.CpuNanoseconds, rate?.NanoCores, rate?.Window);
    }
}
