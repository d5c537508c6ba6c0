using System.Net;
using Gantry.Agent.Network;
using Xunit;

namespace Gantry.Tests.Network;

public sealed class MasqueradeLeftoversTests
{
    private const string Network = "gantry-test-3";
    private const string Container = "4037539e-0d51-40a9-8d96-f9b36eb9492b";

    [Fact]
    public void The_chain_is_named_as_the_bridge_plugin_names_it()
    {
        // The name Debian's bridge plugin 1.1.1 gave this network and container.
        Assert.Equal("CNI-0b54a1de27c825b7a9811ab2", MasqueradeLeftovers.ChainName(Network, Container));
    }

    [Fact]
    public void Each_ipv4_address_loses_its_jump_to_the_chain()
    {
        var commands = MasqueradeLeftovers.JumpRemovals(Network, Container, [IPAddress.Parse("10.199.3.3"), IPAddress.Parse("fd00::3")]);

        var command = Assert.Single(commands);
        Assert.Equal("iptables", command.FileName);
        Assert.Equal(
            ["-w", "-t", "nat", "-D", "POSTROUTING", "-s", "10.199.3.3/32", "-m", "comment", "--comment",
             "name: \"gantry-test-3\" id: \"4037539e-0d51-40a9-8d96-f9b36eb9492b\"", "-j", "CNI-0b54a1de27c825b7a9811ab2"],
            command.Arguments);
    }

    [Fact]
    public void The_chain_is_flushed_before_it_is_deleted()
    {
        var commands = MasqueradeLeftovers.ChainRemovals(Network, Container);

        Assert.Equal(
            ["-w -t nat -F CNI-0b54a1de27c825b7a9811ab2", "-w -t nat -X CNI-0b54a1de27c825b7a9811ab2"],
            commands.Select(c => string.Join(' ', c.Arguments)));
    }
}
