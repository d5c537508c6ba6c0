using System.Text.Json.Nodes;
using Gantry.Server.Api.Discovery;
using Gantry.Server.Registry.CustomResources;
using Xunit;

namespace Gantry.Tests.Api.CustomResources;

public sealed class CustomResourceDiscoveryTests
{
    private static DiscoveryCatalog Catalog(params string[] versions) =>
        DiscoveredTypes.Including(new CustomResourceTypeSet([.. CustomResourceTypes.TypesOf(CustomResourceDefinitions.CronTabs(true, versions))]));

    [Fact]
    public void A_custom_group_is_listed_after_the_built_in_groups_with_its_preferred_version()
    {
        var groups = JsonNode.Parse(LegacyDiscovery.ApiGroupList(Catalog("v1", "v1beta1")))!["groups"]!.AsArray();

        var last = groups[^1]!;
        Assert.Equal("stable.example.com", (string?)last["name"]);
        Assert.Equal("v1", (string?)last["preferredVersion"]!["version"]);
        Assert.Equal(["v1", "v1beta1"], last["versions"]!.AsArray().Select(v => (string?)v!["version"]));
    }

    [Fact]
    public void A_custom_group_version_lists_its_resource_and_status_subresource()
    {
        var list = JsonNode.Parse(LegacyDiscovery.ApiResourceList("stable.example.com", "v1", Catalog("v1"))!)!;

        var names = list["resources"]!.AsArray().Select(r => (string?)r!["name"]).ToList();
        Assert.Equal(["crontabs", "crontabs/status"], names);
        Assert.Equal("CronTab", (string?)list["resources"]![0]!["kind"]);
    }

    [Fact]
    public void Aggregated_discovery_includes_the_custom_group()
    {
        var list = JsonNode.Parse(AggregatedDiscovery.ForApis(DiscoveryFormat.AggregatedV2, Catalog("v1")))!;

        Assert.Contains(list["items"]!.AsArray(), g => (string?)g!["metadata"]!["name"] == "stable.example.com");
    }

    [Fact]
    public void Without_definitions_discovery_is_the_built_in_catalog()
    {
        Assert.Same(DiscoveredTypes.BuiltIn, DiscoveredTypes.Including(new CustomResourceTypeSet([])));
        Assert.Null(LegacyDiscovery.ApiGroup("stable.example.com"));
    }

    [Theory]
    [InlineData("v2,v1,v1beta2,v1beta1,v1alpha1,foo", "v1alpha1,v1,foo,v1beta1,v2,v1beta2")]
    [InlineData("v1,v11alpha2,bar,foo", "foo,v11alpha2,bar,v1")]
    [InlineData("v3000000000,v2,v99999999999999999999", "v2,v99999999999999999999,v3000000000")]
    public void Versions_are_ordered_by_kube_version_priority(string expected, string given)
    {
        Assert.Equal(expected.Split(','), given.Split(',').Order(KubeVersionOrder.Instance));
    }
}
