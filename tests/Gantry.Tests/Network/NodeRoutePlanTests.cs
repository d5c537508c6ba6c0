using System.Net;
using Gantry.Agent.Network;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Network;

public sealed class NodeRoutePlanTests
{
    private static readonly IPNetwork Cluster = IPNetwork.Parse("10.244.0.0/16");

    [Fact]
    public void Every_other_nodes_pod_cidr_is_routed_via_its_internal_ip()
    {
        var desired = NodeRoutePlan.Desired(
            [Node("self", "10.244.0.0/24", "10.77.0.10"), Node("b", "10.244.1.0/24", "10.77.0.11"), Node("c", "10.244.2.0/24", "10.77.0.12")], "self", Cluster);

        Assert.Equal(
            [("10.244.1.0/24", "10.77.0.11"), ("10.244.2.0/24", "10.77.0.12")],
            desired.Select(d => (d.Key.ToString(), d.Value.ToString())).Order());
    }

    [Fact]
    public void Nodes_without_a_pod_cidr_or_an_address_or_outside_the_cluster_cidr_get_no_route()
    {
        var desired = NodeRoutePlan.Desired(
            [Node("a", null, "10.77.0.11"), Node("b", "10.244.2.0/24", null), Node("c", "192.168.0.0/24", "10.77.0.13")], "self", Cluster);

        Assert.Empty(desired);
    }

    [Fact]
    public void Installed_routes_are_the_gateway_routes_and_not_the_bridges_own()
    {
        var installed = NodeRoutePlan.Installed("""
            10.244.0.0/24 dev gantry0 proto kernel scope link src 10.244.0.1
            10.244.1.0/24 via 10.77.0.11 dev eth0
            10.244.2.0/24 via 10.77.0.12 dev eth0 proto static

            """);

        Assert.Equal([("10.244.1.0/24", "10.77.0.11"), ("10.244.2.0/24", "10.77.0.12")], installed.Select(d => (d.Key.ToString(), d.Value.ToString())).Order());
    }

    [Fact]
    public void Routes_of_deleted_nodes_go_and_moved_ones_are_replaced()
    {
        var installed = NodeRoutePlan.Installed("10.244.1.0/24 via 10.77.0.11 dev eth0\n10.244.2.0/24 via 10.77.0.12 dev eth0\n");
        var desired = new Dictionary<IPNetwork, IPAddress>
        {
            [IPNetwork.Parse("10.244.1.0/24")] = IPAddress.Parse("10.77.0.21"),
            [IPNetwork.Parse("10.244.3.0/24")] = IPAddress.Parse("10.77.0.13"),
        };

        var (add, remove) = NodeRoutePlan.Diff(desired, installed);

        Assert.Equal(["10.244.1.0/24 via 10.77.0.21", "10.244.3.0/24 via 10.77.0.13"], add.Select(a => $"{a.Key} via {a.Value}"));
        Assert.Equal(["10.244.2.0/24 via 10.77.0.12"], remove.Select(r => $"{r.Key} via {r.Value}"));
    }

    private static V1Node Node(string name, string? podCidr, string? ip) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1NodeSpec { PodCIDR = podCidr, PodCIDRs = podCidr is null ? null : [podCidr] },
        Status = new V1NodeStatus { Addresses = ip is null ? [] : [new V1NodeAddress { Type = "InternalIP", Address = ip }] },
    };
}
