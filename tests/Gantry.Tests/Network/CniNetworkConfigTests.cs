using System.Net;
using System.Text.Json.Nodes;
using Gantry.Agent.Network;
using Xunit;

namespace Gantry.Tests.Network;

public sealed class CniNetworkConfigTests
{
    private static readonly PodNetworkOptions Defaults = new() { StateDirectory = "/var/lib/gantry/network" };

    [Fact]
    public void The_bridge_network_is_the_nodes_gateway_with_hairpin_on_and_leaves_masquerading_to_the_node_rule()
    {
        var config = CniNetworkConfig.Bridge(Defaults, pluginMasquerade: false);

        Assert.Equal("1.0.0", (string?)config["cniVersion"]);
        Assert.Equal("gantry", (string?)config["name"]);
        Assert.Equal("bridge", (string?)config["type"]);
        Assert.Equal("gantry0", (string?)config["bridge"]);
        Assert.True((bool?)config["isGateway"]);
        Assert.True((bool?)config["forceAddress"]);
        Assert.False((bool?)config["ipMasq"]);
        Assert.True((bool?)config["hairpinMode"]);
    }

    [Fact]
    public void Addresses_come_from_host_local_over_the_pod_cidr_with_allocations_under_the_state_directory()
    {
        var options = Defaults with { PodCidr = new IPNetwork(IPAddress.Parse("10.88.7.0"), 24) };

        var ipam = CniNetworkConfig.Bridge(options, pluginMasquerade: false)["ipam"]!;

        Assert.Equal("host-local", (string?)ipam["type"]);
        Assert.Equal("10.88.7.0/24", (string?)ipam["ranges"]![0]![0]!["subnet"]);
        Assert.Equal("0.0.0.0/0", (string?)ipam["routes"]![0]!["dst"]);
        Assert.Equal("/var/lib/gantry/network/ipam", (string?)ipam["dataDir"]);
    }

    [Fact]
    public void A_sandbox_made_with_the_plugins_masquerading_is_deleted_with_it()
    {
        var config = CniNetworkConfig.Bridge(Defaults, pluginMasquerade: true);

        Assert.True((bool?)config["ipMasq"]);
    }

    [Fact]
    public void The_loopback_network_names_only_the_plugin()
    {
        var config = CniNetworkConfig.Loopback();

        Assert.Equal("""{"cniVersion":"1.0.0","name":"lo","type":"loopback"}""", config.ToJsonString());
    }

    [Fact]
    public void The_previous_result_rides_on_a_copy_of_the_config()
    {
        var config = CniNetworkConfig.Loopback();
        var result = JsonNode.Parse("""{"cniVersion":"1.0.0","ips":[]}""")!;

        var withResult = CniNetworkConfig.WithPrevResult(config, result);

        Assert.Equal("1.0.0", (string?)withResult["prevResult"]!["cniVersion"]);
        Assert.Null(config["prevResult"]);
    }

    [Fact]
    public void Plugin_arguments_name_the_pod_and_tolerate_plugins_that_do_not_know_them()
    {
        var args = CniNetworkConfig.Args("0b4f5a8e-1c2d-4e3f-8a9b-0c1d2e3f4a5b", "web-1", "shop");

        Assert.Equal(
            "IgnoreUnknown=1;K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web-1;K8S_POD_INFRA_CONTAINER_ID=0b4f5a8e-1c2d-4e3f-8a9b-0c1d2e3f4a5b;K8S_POD_UID=0b4f5a8e-1c2d-4e3f-8a9b-0c1d2e3f4a5b",
            args);
    }
}
