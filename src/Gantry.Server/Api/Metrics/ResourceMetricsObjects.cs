using System.Text.Json.Nodes;
using Gantry.Core.Metrics;

namespace Gantry.Server.Api.Metrics;

/// <summary>
/// NodeMetrics and PodMetrics in metrics-server's JSON: the object's name (and namespace) and labels, a
/// creationTimestamp of now (they are made on request), the <c>timestamp</c> of the sample and the <c>window</c> of
/// the CPU rate, and <c>usage</c> with cpu and memory. An object without a CPU rate yet has no metrics (null), as
/// metrics-server has none for a node or container scraped only once.
/// </summary>
public static class ResourceMetricsObjects
{
    /// <summary>The node's metrics from its agent's summary; <paramref name="metadata"/> is the Node's.</summary>
    public static JsonObject? NodeMetrics(JsonNode? metadata, NodeStats stats, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(stats);
        if (Usage(stats.Cpu, stats.Memory) is not { } usage)
        {
            return null;
        }

        return new JsonObject
        {
            ["metadata"] = Metadata(metadata, now),
            ["timestamp"] = Time(stats.Cpu!.Time),
            ["window"] = GoDurationText.Format(stats.Cpu.Window!.Value),
            ["usage"] = usage,
        };
    }

    /// <summary>
    /// The pod's metrics: one entry per container with a CPU rate, stamped with the earliest of their samples as
    /// metrics-server does; null when no container has one. <paramref name="metadata"/> is the Pod's.
    /// </summary>
    public static JsonObject? PodMetrics(JsonNode? metadata, PodStats stats, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var containers = stats.Containers
            .Select(c => (Stats: c, Usage: Usage(c.Cpu, c.Memory)))
            .Where(c => c.Usage is not null)
            .ToList();
        if (containers.Count == 0)
        {
            return null;
        }

        var earliest = containers.Select(c => c.Stats.Cpu!).MinBy(cpu => cpu.Time)!;
        return new JsonObject
        {
            ["metadata"] = Metadata(metadata, now),
            ["timestamp"] = Time(earliest.Time),
            ["window"] = GoDurationText.Format(earliest.Window!.Value),
            ["containers"] = new JsonArray(containers
                .Select(c => (JsonNode?)new JsonObject { ["name"] = c.Stats.Name, ["usage"] = c.Usage })
                .ToArray()),
        };
    }

    /// <summary>A single object, as a GET answers it: with its kind and apiVersion.</summary>
    public static JsonObject Single(JsonObject item, string kind)
    {
        ArgumentNullException.ThrowIfNull(item);
        var body = new JsonObject { ["kind"] = kind, ["apiVersion"] = ResourceMetricsTypes.ApiVersion };
        foreach (var (key, value) in item)
        {
            body[key] = value?.DeepClone();
        }

        return body;
    }

    /// <summary>A list, whose items (as the apiserver writes a typed list) carry neither kind nor apiVersion.</summary>
    public static JsonObject List(IEnumerable<JsonObject> items, string listKind) => new()
    {
        ["kind"] = listKind,
        ["apiVersion"] = ResourceMetricsTypes.ApiVersion,
        ["metadata"] = new JsonObject(),
        ["items"] = new JsonArray(items.Select(i => (JsonNode?)i).ToArray()),
    };

    private static JsonObject? Usage(CpuStats? cpu, MemoryStats? memory) =>
        cpu is { UsageNanoCores: { } nanoCores, Window: not null } && memory is not null
            ? new JsonObject
            {
                ["cpu"] = MetricsQuantity.NanoCores(nanoCores),
                ["memory"] = MetricsQuantity.Bytes(memory.WorkingSetBytes),
            }
            : null;

    private static JsonObject Metadata(JsonNode? objectMetadata, DateTimeOffset now)
    {
        var metadata = new JsonObject { ["name"] = objectMetadata?["name"]?.DeepClone() };
        if (objectMetadata?["namespace"] is { } ns)
        {
            metadata["namespace"] = ns.DeepClone();
        }

        metadata["creationTimestamp"] = Time(now);
        if (objectMetadata?["labels"] is JsonObject { Count: > 0 } labels)
        {
            metadata["labels"] = labels.DeepClone();
        }

        return metadata;
    }

    private static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
