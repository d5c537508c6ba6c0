using System.Text.Json.Nodes;
using Gantry.Server.Api.Discovery;
using Xunit;

namespace Gantry.Tests.Api;

public sealed class AggregatedDiscoveryTests
{
    [Fact]
    public void Core_document_lists_pods_with_response_kind_and_namespaced_scope()
    {
        var list = Parse(AggregatedDiscovery.ForApi(DiscoveryFormat.AggregatedV2));

        var group = Assert.Single(list["items"]!.AsArray());
        Assert.Equal("", (string?)group!["metadata"]!["name"]);
        var pods = Resource(group, "v1", "pods");
        Assert.Equal("Pod", (string?)pods["responseKind"]!["kind"]);
        Assert.Equal("v1", (string?)pods["responseKind"]!["version"]);
        Assert.Equal("", (string?)pods["responseKind"]!["group"]);
        Assert.Equal("Namespaced", (string?)pods["scope"]);
        Assert.Equal("pod", (string?)pods["singularResource"]);
        Assert.Contains("po", Strings(pods["shortNames"]));
        Assert.Contains("all", Strings(pods["categories"]));
        Assert.Contains("watch", Strings(pods["verbs"]));
    }

    [Fact]
    public void Cluster_scoped_types_say_so()
    {
        var list = Parse(AggregatedDiscovery.ForApi(DiscoveryFormat.AggregatedV2));

        Assert.Equal("Cluster", (string?)Resource(list["items"]![0]!, "v1", "nodes")["scope"]);
    }

    [Fact]
    public void Deployment_scale_subresource_answers_with_an_autoscaling_scale()
    {
        var list = Parse(AggregatedDiscovery.ForApis(DiscoveryFormat.AggregatedV2));

        var apps = list["items"]!.AsArray().Single(g => (string?)g!["metadata"]!["name"] == "apps")!;
        var scale = Resource(apps, "v1", "deployments")["subresources"]!.AsArray()
            .Single(s => (string?)s!["subresource"] == "scale")!;
        Assert.Equal("autoscaling", (string?)scale["responseKind"]!["group"]);
        Assert.Equal("Scale", (string?)scale["responseKind"]!["kind"]);
        Assert.Equal("get,patch,update", string.Join(",", Strings(scale["verbs"])));
    }

    [Fact]
    public void Groups_document_leaves_out_the_core_group()
    {
        var list = Parse(AggregatedDiscovery.ForApis(DiscoveryFormat.AggregatedV2));

        var names = list["items"]!.AsArray().Select(g => (string?)g!["metadata"]!["name"]).ToList();
        Assert.DoesNotContain("", names);
        Assert.Contains("apps", names);
        Assert.Contains("scheduling.k8s.io", names);
    }

    [Fact]
    public void V2beta1_differs_from_v2_only_in_api_version()
    {
        var v2 = Parse(AggregatedDiscovery.ForApis(DiscoveryFormat.AggregatedV2));
        var v2beta1 = Parse(AggregatedDiscovery.ForApis(DiscoveryFormat.AggregatedV2Beta1));

        Assert.Equal("apidiscovery.k8s.io/v2", (string?)v2["apiVersion"]);
        Assert.Equal("apidiscovery.k8s.io/v2beta1", (string?)v2beta1["apiVersion"]);
        v2beta1["apiVersion"] = "apidiscovery.k8s.io/v2";
        Assert.True(JsonNode.DeepEquals(v2, v2beta1));
    }

    [Fact]
    public void Legacy_format_is_not_an_aggregated_document()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AggregatedDiscovery.ForApi(DiscoveryFormat.Legacy));
    }

    private static JsonObject Parse(byte[] body) => JsonNode.Parse(body)!.AsObject();

    private static JsonNode Resource(JsonNode group, string version, string plural) => group["versions"]!.AsArray()
        .Single(v => (string?)v!["version"] == version)!["resources"]!.AsArray()
        .Single(r => (string?)r!["resource"] == plural)!;

    private static string[] Strings(JsonNode? array) => array!.AsArray().Select(v => (string)v!).ToArray();
}
