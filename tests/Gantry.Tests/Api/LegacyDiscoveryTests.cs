using System.Text.Json.Nodes;
using Gantry.Server.Api.Discovery;
using Xunit;

namespace Gantry.Tests.Api;

public sealed class LegacyDiscoveryTests
{
    [Fact]
    public void Api_versions_announce_the_server_address_for_every_client()
    {
        var versions = JsonNode.Parse(LegacyDiscovery.ApiVersions("192.168.1.5:6443"))!;

        Assert.Equal("APIVersions", (string?)versions["kind"]);
        Assert.Equal("v1", (string?)versions["versions"]![0]);
        Assert.Equal("0.0.0.0/0", (string?)versions["serverAddressByClientCIDRs"]![0]!["clientCIDR"]);
        Assert.Equal("192.168.1.5:6443", (string?)versions["serverAddressByClientCIDRs"]![0]!["serverAddress"]);
    }

    [Fact]
    public void Group_list_names_the_preferred_version_of_each_group()
    {
        var list = JsonNode.Parse(LegacyDiscovery.ApiGroupList())!;

        var apps = list["groups"]!.AsArray().Single(g => (string?)g!["name"] == "apps")!;
        Assert.Equal("apps/v1", (string?)apps["preferredVersion"]!["groupVersion"]);
        Assert.Equal("v1", (string?)apps["versions"]![0]!["version"]);
    }

    [Fact]
    public void A_group_served_in_two_versions_prefers_its_stored_version()
    {
        var list = JsonNode.Parse(LegacyDiscovery.ApiGroupList())!;

        var autoscaling = list["groups"]!.AsArray().Single(g => (string?)g!["name"] == "autoscaling")!;
        Assert.Equal("autoscaling/v2", (string?)autoscaling["preferredVersion"]!["groupVersion"]);
        Assert.Equal(["v2", "v1"], autoscaling["versions"]!.AsArray().Select(v => (string?)v!["version"]));
    }

    [Fact]
    public void Resource_list_has_kind_and_scope_and_subresources_with_their_own_group()
    {
        var list = JsonNode.Parse(LegacyDiscovery.ApiResourceList("apps", "v1")!)!;

        Assert.Equal("apps/v1", (string?)list["groupVersion"]);
        var resources = list["resources"]!.AsArray();
        var deployments = resources.Single(r => (string?)r!["name"] == "deployments")!;
        Assert.Equal("Deployment", (string?)deployments["kind"]);
        Assert.True((bool)deployments["namespaced"]!);
        Assert.Equal("deployment", (string?)deployments["singularName"]);
        var scale = resources.Single(r => (string?)r!["name"] == "deployments/scale")!;
        Assert.Equal("autoscaling", (string?)scale["group"]);
        Assert.Equal("Scale", (string?)scale["kind"]);
        var status = resources.Single(r => (string?)r!["name"] == "deployments/status")!;
        Assert.Null(status["group"]);
        Assert.Equal("Deployment", (string?)status["kind"]);
    }

    [Fact]
    public void Core_resource_list_includes_pod_subresources()
    {
        var list = JsonNode.Parse(LegacyDiscovery.ApiResourceList("", "v1")!)!;

        var names = list["resources"]!.AsArray().Select(r => (string?)r!["name"]).ToList();
        Assert.Equal("v1", (string?)list["groupVersion"]);
        Assert.Contains("pods/status", names);
        Assert.Contains("pods/exec", names);
        Assert.Contains("pods/eviction", names);
    }

    [Fact]
    public void Unknown_group_versions_are_not_found()
    {
        Assert.Null(LegacyDiscovery.ApiResourceList("apps", "v1beta1"));
        Assert.Null(DiscoveryResponses.GroupVersion("example.com", "v1"));
        Assert.Null(DiscoveryResponses.Group("example.com"));
    }

    [Fact]
    public void Version_reports_a_kubernetes_minor_that_kubectl_parses()
    {
        var version = JsonNode.Parse(DiscoveryResponses.Version().Body)!;

        Assert.Equal("1", (string?)version["major"]);
        Assert.Equal("32", (string?)version["minor"]);
        Assert.StartsWith("v1.32.", (string?)version["gitVersion"], StringComparison.Ordinal);
    }
}
