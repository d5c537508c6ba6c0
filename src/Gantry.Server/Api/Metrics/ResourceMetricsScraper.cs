using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Gantry.Core.Metrics;

namespace Gantry.Server.Api.Metrics;

/// <summary>
/// What metrics-server does for each request of the resource metrics API: asks the agents of the nodes concerned for
/// their summaries, concurrently, and turns a pod's into its PodMetrics. The API endpoint and the horizontal pod
/// autoscaler read usage through it, so both see the same numbers.
/// </summary>
public sealed class ResourceMetricsScraper(INodeStatsSource agents)
{
    private const int ParallelScrapes = 64;

    /// <summary>Each node's summary, asked of its agent concurrently; a node without an answer has no entry.</summary>
    public async Task<IReadOnlyDictionary<string, StatsSummary>> ScrapeAsync(IEnumerable<string> nodeNames, CancellationToken cancellationToken)
    {
        var summaries = new ConcurrentDictionary<string, StatsSummary>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(
            nodeNames.Distinct(StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = ParallelScrapes, CancellationToken = cancellationToken },
            async (node, token) =>
            {
                if (await agents.StatsSummaryAsync(node, token).ConfigureAwait(false) is { } summary)
                {
                    summaries[node] = summary;
                }
            }).ConfigureAwait(false);
        return summaries;
    }

    /// <summary>The pod's metrics from its node's summary, matched by UID so a pod recreated under its name starts afresh.</summary>
    public static JsonObject? PodMetrics(JsonNode pod, IReadOnlyDictionary<string, StatsSummary> summaries, DateTimeOffset now) =>
        PodStatsOf(pod, summaries) is { } stats ? ResourceMetricsObjects.PodMetrics(pod["metadata"], stats, now) : null;

    /// <summary>The pod's stats in its node's summary, matched by UID; null when the node did not report it.</summary>
    public static PodStats? PodStatsOf(JsonNode pod, IReadOnlyDictionary<string, StatsSummary> summaries)
    {
        var uid = pod["metadata"]?["uid"]?.GetValue<string>();
        return NodeNameOf(pod) is { } node && summaries.TryGetValue(node, out var summary)
            ? summary.Pods.FirstOrDefault(p => p.PodRef.Uid == uid)
            : null;
    }

    /// <summary>The node a pod is bound to, or null.</summary>
    public static string? NodeNameOf(JsonNode pod) => pod["spec"]?["nodeName"]?.GetValue<string>() is { Length: > 0 } node ? node : null;
}
