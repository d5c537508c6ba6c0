using System.Net;
using Gantry.Agent.Network;
using Xunit;

namespace Gantry.Tests.Network;

public sealed class CniResultTests
{
    // What Debian 12's bridge plugin (1.1.1) printed for an ADD, verbatim.
    private const string BridgeResult = """
        {
            "cniVersion": "1.0.0",
            "interfaces": [
                { "name": "cnitest0", "mac": "2e:cc:ce:da:70:22" },
                { "name": "veth3261854c", "mac": "3e:d9:fa:6a:3e:b0" },
                { "name": "eth0", "mac": "46:bc:8a:9c:bb:40", "sandbox": "/var/run/netns/cnitest" }
            ],
            "ips": [
                { "interface": 2, "address": "10.199.9.2/24", "gateway": "10.199.9.1" }
            ],
            "routes": [ { "dst": "0.0.0.0/0" } ],
            "dns": {}
        }
        """;

    [Fact]
    public void A_bridge_result_yields_the_interfaces_and_the_addresses()
    {
        var result = CniResult.Parse(BridgeResult);

        Assert.Equal("1.0.0", result.CniVersion);
        Assert.Equal(["cnitest0", "veth3261854c", "eth0"], result.Interfaces.Select(i => i.Name));
        Assert.Equal("/var/run/netns/cnitest", result.Interfaces[2].Sandbox);
        var ip = Assert.Single(result.Ips);
        Assert.Equal(new CniIpConfig(2, IPAddress.Parse("10.199.9.2"), 24, IPAddress.Parse("10.199.9.1")), ip);
    }

    [Fact]
    public void The_pod_address_is_the_one_on_eth0_inside_the_sandbox_and_knows_its_subnet()
    {
        var ip = CniResult.Parse(BridgeResult).PodAddress("eth0", "/var/run/netns/cnitest");

        Assert.Equal(IPAddress.Parse("10.199.9.2"), ip.Address);
        Assert.Equal(new IPNetwork(IPAddress.Parse("10.199.9.0"), 24), ip.Network);
    }

    [Fact]
    public void An_address_on_another_sandbox_is_not_the_pods()
    {
        var result = CniResult.Parse(BridgeResult);

        Assert.Throws<FormatException>(() => result.PodAddress("eth0", "/var/run/netns/other"));
    }

    [Fact]
    public void An_ipv6_address_is_skipped_for_the_ipv4_one()
    {
        var result = CniResult.Parse("""
            {"cniVersion":"1.0.0","interfaces":[{"name":"eth0","sandbox":"/ns"}],
             "ips":[{"interface":0,"address":"fd00::5/64"},{"interface":0,"address":"10.1.2.3/16","gateway":"10.1.0.1"}]}
            """);

        Assert.Equal(IPAddress.Parse("10.1.2.3"), result.PodAddress("eth0", "/ns").Address);
        Assert.Equal(new IPNetwork(IPAddress.Parse("10.1.0.0"), 16), result.PodAddress("eth0", "/ns").Network);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"interfaces":[]}""")]
    [InlineData("""{"cniVersion":"1.0.0","ips":[{"address":"10.1.2.3"}]}""")]
    [InlineData("""{"cniVersion":"1.0.0","ips":[{"address":"10.1.2.3/33"}]}""")]
    [InlineData("""{"cniVersion":"1.0.0","ips":[{"address":"10.1.2.3/24","interface":"eth0"}]}""")]
    public void Output_that_is_not_a_result_is_a_format_error(string json)
    {
        Assert.Throws<FormatException>(() => CniResult.Parse(json));
    }

    [Fact]
    public void A_version_answer_lists_the_spec_versions_a_plugin_speaks()
    {
        var version = CniVersionInfo.Parse("""{"cniVersion":"1.0.0","supportedVersions":["0.1.0","0.2.0","0.3.0","0.3.1","0.4.0","1.0.0"]}""");

        Assert.Equal("1.0.0", version.CniVersion);
        Assert.Contains("1.0.0", version.SupportedVersions);
        Assert.Equal(6, version.SupportedVersions.Count);
    }
}
