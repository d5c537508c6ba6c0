using System.Text.Json.Nodes;
using Gantry.Core.Metrics;
using Gantry.Server.Api.Metrics;
using Xunit;

namespace Gantry.Tests.Api.Metrics;

public sealed class ResourceMetricsObjectsTests
{
    private static readonly DateTimeOffset Sampled = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = Sampled.AddSeconds(3);

    [Fact]
    public void Node_metrics_carry_the_node_name_and_labels_the_sample_time_the_window_and_the_usage()
    {
        var metadata = JsonNode.Parse("""{"name":"n1","uid":"u","labels":{"zone":"a"},"annotations":{"x":"y"}}""");
        var stats = new NodeStats("n1", Cpu(133496537), new MemoryStats(Sampled, 1046835200));

        var metrics = ResourceMetricsObjects.NodeMetrics(metadata, stats, Now)!;

        Assert.Equal(
            """{"metadata":{"name":"n1","creationTimestamp":"2026-01-01T12:00:03Z","labels":{"zone":"a"}},"timestamp":"2026-01-01T12:00:00Z","window":"10.002s","usage":{"cpu":"133496537n","memory":"1022300Ki"}}""",
            metrics.ToJsonString());
    }

    [Fact]
    public void Pod_metrics_list_each_container_with_a_cpu_rate_and_name_the_pod_namespace()
    {
        var metadata = JsonNode.Parse("""{"name":"web","namespace":"shop","uid":"u"}""");
        var stats = new PodStats(new PodReference("web", "shop", "u"),
        [
            new ContainerStats("app", Sampled.AddMinutes(-1), Cpu(250_000_000), new MemoryStats(Sampled, 4096)),
            new ContainerStats("starting", Sampled, new CpuStats(Sampled, 10, null, null), new MemoryStats(Sampled, 4096)),
        ]);

        var metrics = ResourceMetricsObjects.PodMetrics(metadata, stats, Now)!;

        Assert.Equal(
            """{"metadata":{"name":"web","namespace":"shop","creationTimestamp":"2026-01-01T12:00:03Z"},"timestamp":"2026-01-01T12:00:00Z","window":"10.002s","containers":[{"name":"app","usage":{"cpu":"250m","memory":"4Ki"}}]}""",
            metrics.ToJsonString());
    }

    [Fact]
    public void A_node_sampled_once_has_no_metrics_yet()
    {
        var stats = new NodeStats("n1", new CpuStats(Sampled, 10, null, null), new MemoryStats(Sampled, 4096));

        Assert.Null(ResourceMetricsObjects.NodeMetrics(JsonNode.Parse("""{"name":"n1"}"""), stats, Now));
    }

    [Fact]
    public void A_single_object_names_its_kind_and_api_version_and_list_items_do_not()
    {
        var item = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "n1" } };

        var single = ResourceMetricsObjects.Single(item, "NodeMetrics");
        var list = ResourceMetricsObjects.List([item], "NodeMetricsList");

        Assert.Equal("""{"kind":"NodeMetrics","apiVersion":"metrics.k8s.io/v1beta1","metadata":{"name":"n1"}}""", single.ToJsonString());
        Assert.Equal("""{"kind":"NodeMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},"items":[{"metadata":{"name":"n1"}}]}""", list.ToJsonString());
    }

    private static CpuStats Cpu(ulong nanoCores) => new(Sampled, 99_000_000_000, nanoCores, TimeSpan.FromMilliseconds(10002));
}
