using System.Text.Json.Nodes;
using Gantry.Server.Api.Discovery;
using Xunit;

namespace Gantry.Tests.Api.Metrics;

/// <summary>kubectl top looks for metrics.k8s.io/v1beta1 in the server's groups before it asks for metrics.</summary>
public sealed class ResourceMetricsDiscoveryTests
{
    [Fact]
    public void The_group_list_offers_metrics_v1beta1()
    {
        var list = JsonNode.Parse(LegacyDiscovery.ApiGroupList())!;

        var metrics = list["groups"]!.AsArray().Single(g => (string?)g!["name"] == "metrics.k8s.io")!;
        Assert.Equal("metrics.k8s.io/v1beta1", (string?)metrics["preferredVersion"]!["groupVersion"]);
    }

    [Fact]
    public void The_resource_list_has_nodes_and_pods_to_get_and_list()
    {
        var list = JsonNode.Parse(LegacyDiscovery.ApiResourceList("metrics.k8s.io", "v1beta1")!)!;

        var resources = list["resources"]!.AsArray();
        var nodes = resources.Single(r => (string?)r!["name"] == "nodes")!;
        var pods = resources.Single(r => (string?)r!["name"] == "pods")!;
        Assert.Equal("NodeMetrics", (string?)nodes["kind"]);
        Assert.False((bool)nodes["namespaced"]!);
        Assert.Equal("PodMetrics", (string?)pods["kind"]);
        Assert.True((bool)pods["namespaced"]!);
        Assert.Equal(["get", "list"], pods["verbs"]!.AsArray().Select(v => (string?)v));
    }

    [Fact]
    public void Aggregated_discovery_offers_the_group_with_its_kinds_and_verbs()
    {
        var document = JsonNode.Parse(AggregatedDiscovery.ForApis(DiscoveryFormat.AggregatedV2))!;

        var group = document["items"]!.AsArray().Single(g => (string?)g!["metadata"]!["name"] == "metrics.k8s.io")!;
        var version = group["versions"]![0]!;
        Assert.Equal("v1beta1", (string?)version["version"]);
        var pods = version["resources"]!.AsArray().Single(r => (string?)r!["resource"] == "pods")!;
        Assert.Equal("PodMetrics", (string?)pods["responseKind"]!["kind"]);
        Assert.Equal("Namespaced", (string?)pods["scope"]);
        Assert.Equal(["get", "list"], pods["verbs"]!.AsArray().Select(v => (string?)v));
    }
}
