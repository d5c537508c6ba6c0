using System.Net;
using Gantry.Agent.Network;
using Xunit;

namespace Gantry.Tests.Network;

public sealed class PodNetworkOptionsTests
{
    private static readonly PodNetworkOptions Valid = new() { StateDirectory = "/var/lib/gantry/network" };

    [Fact]
    public void The_defaults_are_a_single_nodes_network()
    {
        Assert.Equal(new IPNetwork(IPAddress.Parse("10.88.0.0"), 24), Valid.PodCidr);
        Assert.Equal("gantry0", Valid.BridgeName);
        Assert.Equal("/usr/lib/cni", Valid.PluginDirectory);
        Assert.Equal("/var/lib/gantry/network/ipam", Valid.IpamDirectory);
        _ = new PodNetwork(Valid);
    }

    public static TheoryData<PodNetworkOptions> Unusable => new()
    {
        Valid with { StateDirectory = "relative/state" },
        Valid with { PodCidr = new IPNetwork(IPAddress.Parse("10.88.0.0"), 31) },
        Valid with { PodCidr = new IPNetwork(IPAddress.Parse("fd00::"), 64) },
        Valid with { BridgeName = "a-bridge-name-too-long" },
        Valid with { BridgeName = "br/0" },
        Valid with { NetworkName = "" },
        Valid with { NamespacePrefix = "gantry/" },
        Valid with { CommandTimeout = TimeSpan.Zero },
    };

    [Theory]
    [MemberData(nameof(Unusable))]
    public void Options_the_kernel_or_the_plugins_would_reject_are_refused_up_front(PodNetworkOptions options)
    {
        Assert.Throws<ArgumentException>(() => new PodNetwork(options));
    }

    [Fact]
    public void A_sandbox_namespace_is_named_by_the_prefix_and_twelve_hex_digits_of_the_uid()
    {
        Assert.Equal("gantry-0b4f5a8e1c2d", PodNetwork.NamespaceName("gantry-", "0B4F5A8E-1C2D-4E3F-8A9B-0C1D2E3F4A5B"));
    }

    [Fact]
    public async Task A_pod_uid_that_is_not_a_uuid_is_refused_before_anything_is_made()
    {
        var network = new PodNetwork(Valid with { PluginDirectory = "/nonexistent" });

        await Assert.ThrowsAsync<ArgumentException>(() => network.CreateSandboxAsync("pod-1", "web", "default", CancellationToken.None));
    }
}
