using Gantry.Agent.Stats;
using Gantry.Core.Metrics;
using Xunit;

namespace Gantry.Tests.Agent.Stats;

/// <summary>The agent's <c>/metrics/resource</c>, in the kubelet's names and the Prometheus text format.</summary>
public sealed class ResourceMetricsTextTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

    private static readonly StatsSummary Summary = new(
        new NodeStats("n1", new CpuStats(At, 12_500_000_000, 100, TimeSpan.FromSeconds(10)), new MemoryStats(At, 2_000_000)),
        [
            new PodStats(new PodReference("web", "default", "uid-1"),
            [
                new ContainerStats("app", At.AddMinutes(-1), new CpuStats(At, 1_500_000_000, null, null), new MemoryStats(At, 300)),
                new ContainerStats("side\"car", At.AddMinutes(-1), new CpuStats(At, 500_000_000, null, null), new MemoryStats(At, 200)),
            ]),
        ]);

    [Fact]
    public void Containers_carry_their_cpu_seconds_and_working_set_with_the_samples_time()
    {
        var text = ResourceMetricsText.Write(Summary);

        Assert.Contains("container_cpu_usage_seconds_total{container=\"app\",namespace=\"default\",pod=\"web\"} 1.5 1700000000000\n", text);
        Assert.Contains("container_memory_working_set_bytes{container=\"app\",namespace=\"default\",pod=\"web\"} 300 1700000000000\n", text);
        Assert.Contains("container_start_time_seconds{container=\"app\",namespace=\"default\",pod=\"web\"} 1699999940 1699999940000\n", text);
    }

    [Fact]
    public void The_node_and_pods_are_reported_a_pod_as_the_sum_of_its_containers()
    {
        var text = ResourceMetricsText.Write(Summary);

        Assert.Contains("node_cpu_usage_seconds_total 12.5 1700000000000\n", text);
        Assert.Contains("node_memory_working_set_bytes 2000000 1700000000000\n", text);
        Assert.Contains("pod_cpu_usage_seconds_total{namespace=\"default\",pod=\"web\"} 2 1700000000000\n", text);
        Assert.Contains("pod_memory_working_set_bytes{namespace=\"default\",pod=\"web\"} 500 1700000000000\n", text);
        Assert.EndsWith("# TYPE resource_scrape_error gauge\nresource_scrape_error 0\n", text);
    }

    [Fact]
    public void Every_family_is_announced_with_its_help_and_type()
    {
        var text = ResourceMetricsText.Write(Summary);

        Assert.Contains("# HELP node_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the node in core-seconds\n# TYPE node_cpu_usage_seconds_total counter\n", text);
        Assert.Contains("# TYPE container_memory_working_set_bytes gauge\n", text);
    }

    [Fact]
    public void Label_values_are_escaped() =>
        Assert.Contains("{container=\"side\\\"car\",namespace=\"default\",pod=\"web\"}", ResourceMetricsText.Write(Summary));

    [Fact]
    public void Figures_not_yet_sampled_are_left_out()
    {
        var text = ResourceMetricsText.Write(new StatsSummary(new NodeStats("n1", null, null), []));

        Assert.DoesNotContain("\nnode_cpu_usage_seconds_total ", text);
        Assert.Contains("# TYPE node_cpu_usage_seconds_total counter\n", text);
    }
}
