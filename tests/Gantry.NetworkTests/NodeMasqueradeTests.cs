using System.Net;
using Xunit;

namespace Gantry.NetworkTests;

public sealed class NodeMasqueradeTests : IAsyncLifetime
{
    private TestBed _bed = null!;

    public Task InitializeAsync()
    {
        _bed = TestBed.Create();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Ensuring_the_rule_at_every_agent_start_leaves_exactly_one_masquerade_rule_for_the_pod_cidr()
    {
        await _bed.Network.EnsureMasqueradeAsync(CancellationToken.None);
        await _bed.Network.EnsureMasqueradeAsync(CancellationToken.None);

        var chain = await Host.CheckAsync("nft", "list", "chain", "ip", "gantry-nat", _bed.MasqueradeChain);
        var rules = chain.Split('\n').Where(l => l.Contains("masquerade", StringComparison.Ordinal)).ToList();
        Assert.Equal([$"ip saddr {_bed.Options.PodCidr} ip daddr != {{ {_bed.Options.PodCidr}, 224.0.0.0/4 }} masquerade"], rules.Select(r => r.Trim()));
        Assert.Contains("type nat hook postrouting", chain, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pod_reaches_an_address_outside_the_pod_cidr_with_the_nodes_address_and_no_iptables_rule_of_its_own()
    {
        await _bed.Network.EnsureMasqueradeAsync(CancellationToken.None);
        var pod = await _bed.CreateSandboxAsync("egress");
        var index = _bed.Options.PodCidr.BaseAddress.GetAddressBytes()[2];
        var outside = $"gantryo-{index}";
        var hostSide = $"gmo{index}";
        var node = $"10.198.{index}.1";
        var server = $"10.198.{index}.2";
        try
        {
            await Host.CheckAsync("ip", "netns", "add", outside);
            await Host.CheckAsync("ip", "link", "add", hostSide, "type", "veth", "peer", "name", "eth0", "netns", outside);
            await Host.CheckAsync("ip", "addr", "add", node + "/24", "dev", hostSide);
            await Host.CheckAsync("ip", "link", "set", hostSide, "up");
            await Host.CheckAsync("ip", "-n", outside, "addr", "add", server + "/24", "dev", "eth0");
            await Host.CheckAsync("ip", "-n", outside, "link", "set", "eth0", "up");
            using var listener = Host.Start(
                "ip", "netns", "exec", outside, "python3", "-c",
                "import socket; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('', 8080)); s.listen(); c, a = s.accept(); print(a[0], flush=True)");

            var connected = false;
            for (var attempt = 0; attempt < 50 && !connected; attempt++)
            {
                connected = (await Host.RunAsync("ip", "netns", "exec", pod.NetworkNamespace, "bash", "-c", $"echo hi >/dev/tcp/{server}/8080")).ExitCode == 0;
                if (!connected)
                {
                    await Task.Delay(100);
                }
            }

            Assert.True(connected, $"the pod could not reach {server}");
            Assert.Equal(IPAddress.Parse(node), IPAddress.Parse((await listener.OutputAsync(TimeSpan.FromSeconds(5))).Trim()));
            Assert.DoesNotContain(pod.PodUid, await Host.CheckAsync("iptables-save", "-t", "nat"), StringComparison.Ordinal);
        }
        finally
        {
            await Host.RunAsync("ip", "link", "delete", hostSide);
            await Host.RunAsync("ip", "netns", "delete", outside);
        }
    }
}
