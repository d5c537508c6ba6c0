using System.Net;
using Gantry.Agent.Network;
using Xunit;

namespace Gantry.Tests.Network;

public sealed class NodeMasqueradeTests
{
    [Fact]
    public void The_script_replaces_the_bridges_chain_with_one_rule_in_one_transaction()
    {
        var options = new PodNetworkOptions
        {
            StateDirectory = "/var/lib/gantry/network",
            BridgeName = "gantry-t1",
            PodCidr = new IPNetwork(IPAddress.Parse("10.88.7.0"), 24),
        };

        var script = NodeMasquerade.Script(options).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(
            [
                "add table ip gantry-nat",
                "add chain ip gantry-nat masq-gantry_t1 { type nat hook postrouting priority srcnat; policy accept; }",
                "flush chain ip gantry-nat masq-gantry_t1",
                "add rule ip gantry-nat masq-gantry_t1 ip saddr 10.88.7.0/24 ip daddr != { 10.88.7.0/24, 224.0.0.0/4 } masquerade",
            ],
            script);
    }

    [Fact]
    public void Traffic_to_other_nodes_pods_keeps_its_source_and_only_traffic_leaving_the_cluster_is_masqueraded()
    {
        var options = new PodNetworkOptions
        {
            StateDirectory = "/var/lib/gantry/network",
            PodCidr = IPNetwork.Parse("10.244.1.0/24"),
            ClusterCidr = IPNetwork.Parse("10.244.0.0/16"),
        };

        var rule = NodeMasquerade.Script(options).Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];

        Assert.Equal("add rule ip gantry-nat masq-gantry0 ip saddr 10.244.1.0/24 ip daddr != { 10.244.0.0/16, 224.0.0.0/4 } masquerade", rule);
    }
}
