using System.Net;
using Gantry.Agent.Network;
using Xunit;

namespace Gantry.Tests.Network;

public sealed class NodeRoutesTests
{
    private static readonly IPNetwork OtherNodesPods = new(IPAddress.Parse("10.88.1.0"), 24);
    private static readonly IPAddress OtherNode = IPAddress.Parse("192.168.10.12");

    [Fact]
    public void Adding_replaces_whatever_route_the_cidr_had_so_it_can_be_repeated()
    {
        var command = NodeRoutes.ReplaceCommand(OtherNodesPods, OtherNode, hostNamespace: null);

        Assert.Equal("ip", command.FileName);
        Assert.Equal(["route", "replace", "10.88.1.0/24", "via", "192.168.10.12"], command.Arguments);
    }

    [Fact]
    public void Removing_deletes_only_the_route_through_that_node()
    {
        var command = NodeRoutes.DeleteCommand(OtherNodesPods, OtherNode, hostNamespace: null);

        Assert.Equal(["route", "delete", "10.88.1.0/24", "via", "192.168.10.12"], command.Arguments);
    }

    [Fact]
    public void Routes_of_a_node_played_by_a_namespace_are_changed_in_that_namespace()
    {
        var command = NodeRoutes.ReplaceCommand(OtherNodesPods, OtherNode, hostNamespace: "node-a");

        Assert.Equal(["-n", "node-a", "route", "replace", "10.88.1.0/24", "via", "192.168.10.12"], command.Arguments);
    }

    [Fact]
    public void A_route_through_an_address_of_the_other_family_is_refused()
    {
        Assert.Throws<ArgumentException>(() => NodeRoutes.ReplaceCommand(OtherNodesPods, IPAddress.Parse("fd00::12"), null));
    }

    [Theory]
    [InlineData("RTNETLINK answers: No such process", true)]
    [InlineData("Error: Nexthop has invalid gateway.", false)]
    public void Only_the_kernels_no_such_route_answer_counts_as_already_removed(string stderr, bool missing)
    {
        Assert.Equal(missing, NodeRoutes.IsMissingRoute(stderr));
    }
}
