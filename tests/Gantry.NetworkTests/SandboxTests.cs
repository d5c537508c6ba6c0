using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Gantry.Agent.Network;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.NetworkTests;

public sealed class SandboxTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private TestBed _bed = null!;

    public Task InitializeAsync()
    {
        _bed = TestBed.Create();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Two_sandboxes_get_distinct_addresses_in_the_pod_cidr_and_reach_each_other_over_tcp()
    {
        var watch = Stopwatch.StartNew();
        var a = await _bed.CreateSandboxAsync("a");
        output.WriteLine($"first sandbox (creates the bridge): {watch.ElapsedMilliseconds} ms");
        watch.Restart();
        var b = await _bed.CreateSandboxAsync("b");
        output.WriteLine($"second sandbox: {watch.ElapsedMilliseconds} ms");

        Assert.NotEqual(a.PodIp, b.PodIp);
        Assert.All([a, b], s =>
        {
            Assert.True(_bed.Options.PodCidr.Contains(s.PodIp), $"{s.PodIp} is outside {_bed.Options.PodCidr}");
            Assert.Equal(_bed.Options.PodCidr, s.PodCidr);
            Assert.Equal(Address(_bed.Options.PodCidr, 1), s.Gateway);
            Assert.True(File.Exists(s.NetworkNamespacePath));
        });

        using var listener = Host.Start("ip", "netns", "exec", a.NetworkNamespace, "busybox", "nc", "-l", "-p", "8080");
        await Eventually(() => Host.RunAsync(
            "ip", "netns", "exec", b.NetworkNamespace, "bash", "-c", $"echo hello-from-b >/dev/tcp/{a.PodIp}/8080"));

        Assert.Equal("hello-from-b\n", await listener.OutputAsync(Patience));
    }

    [Fact]
    public async Task The_host_reaches_a_pod_address()
    {
        var pod = await _bed.CreateSandboxAsync("web");
        using var listener = Host.Start("ip", "netns", "exec", pod.NetworkNamespace, "busybox", "nc", "-l", "-p", "8080");

        await Eventually(async () =>
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(pod.PodIp, 8080);
            }
            catch (SocketException ex)
            {
                return (1, "", ex.Message);
            }

            await client.GetStream().WriteAsync("hello-from-host\n"u8.ToArray());
            return (0, "", "");
        });

        Assert.Equal("hello-from-host\n", await listener.OutputAsync(Patience));
    }

    [Fact]
    public async Task Pod_lo_is_up_with_its_loopback_address()
    {
        var pod = await _bed.CreateSandboxAsync("lo");

        var lo = await Host.CheckAsync("ip", "-n", pod.NetworkNamespace, "-4", "-o", "address", "show", "dev", "lo");

        Assert.Contains("127.0.0.1/8", lo, StringComparison.Ordinal);
        Assert.Contains("UP", await Host.CheckAsync("ip", "-n", pod.NetworkNamespace, "link", "show", "lo"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_a_sandbox_releases_its_address_and_removes_its_namespace()
    {
        await using var bed = TestBed.Create(prefixLength: 29);
        var pods = new List<SandboxInfo>();
        for (var i = 0; i < 5; i++)
        {
            pods.Add(await bed.CreateSandboxAsync($"p{i}"));
        }

        var uid = bed.NewPodUid();
        var full = await Assert.ThrowsAsync<CniPluginException>(() => bed.Network.CreateSandboxAsync(uid, "p5", "default", CancellationToken.None));
        Assert.Contains("no IP addresses available", full.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine("/var/run/netns", bed.NamespaceOf(uid))), "a failed create left its namespace behind");

        var released = pods[2];
        Assert.DoesNotContain(released.PodUid, await Host.CheckAsync("iptables-save", "-t", "nat"), StringComparison.Ordinal);
        var watch = Stopwatch.StartNew();
        await bed.Network.DeleteSandboxAsync(released.PodUid, CancellationToken.None);
        output.WriteLine($"delete: {watch.ElapsedMilliseconds} ms");

        Assert.False(File.Exists(released.NetworkNamespacePath));
        Assert.DoesNotContain(released.NetworkNamespace, await Host.CheckAsync("ip", "netns", "list"), StringComparison.Ordinal);
        Assert.DoesNotContain(released.PodUid, await Host.CheckAsync("iptables-save", "-t", "nat"), StringComparison.Ordinal);
        var again = await bed.CreateSandboxAsync("p6");
        Assert.Equal(released.PodIp, again.PodIp);
    }

    [Fact]
    public async Task Deleting_a_sandbox_twice_or_one_never_made_succeeds()
    {
        var pod = await _bed.CreateSandboxAsync("twice");

        await _bed.Network.DeleteSandboxAsync(pod.PodUid, CancellationToken.None);
        await _bed.Network.DeleteSandboxAsync(pod.PodUid, CancellationToken.None);
        await _bed.Network.DeleteSandboxAsync(_bed.NewPodUid(), CancellationToken.None);

        Assert.False(File.Exists(pod.NetworkNamespacePath));
    }

    [Fact]
    public async Task A_sandbox_whose_record_was_never_written_is_deleted_with_its_namespace()
    {
        var pod = await _bed.CreateSandboxAsync("unrecorded");
        File.Delete(Path.Combine(_bed.Options.StateDirectory, "sandboxes", pod.PodUid + ".json"));

        await _bed.Network.DeleteSandboxAsync(pod.PodUid, CancellationToken.None);

        Assert.False(File.Exists(pod.NetworkNamespacePath));
    }

    [Fact]
    public async Task Creating_a_sandbox_again_for_the_same_pod_replaces_the_first_and_frees_its_address()
    {
        var uid = _bed.NewPodUid();
        var first = await _bed.Network.CreateSandboxAsync(uid, "again", "default", CancellationToken.None);

        var second = await _bed.Network.CreateSandboxAsync(uid, "again", "default", CancellationToken.None);

        Assert.Equal(first.NetworkNamespacePath, second.NetworkNamespacePath);
        Assert.True(File.Exists(second.NetworkNamespacePath));
        var allocations = Directory.GetFiles(Path.Combine(_bed.Options.StateDirectory, "ipam", _bed.Options.NetworkName))
            .Where(f => File.ReadAllText(f).Contains(uid, StringComparison.Ordinal))
            .Select(Path.GetFileName);
        Assert.Equal([second.PodIp.ToString()], allocations);
    }

    [Fact]
    public async Task A_new_pod_network_adopts_existing_sandboxes_and_keeps_their_addresses_allocated()
    {
        var a = await _bed.CreateSandboxAsync("a");
        var b = await _bed.CreateSandboxAsync("b");

        var restarted = new PodNetwork(_bed.Options);
        var inspection = await restarted.InspectSandboxAsync(a.PodUid, CancellationToken.None);
        var c = await _bed.CreateSandboxAsync("c", restarted);

        Assert.Equal((SandboxStatus.Ready, (string?)null), (inspection.Status, inspection.Problem));
        Assert.Equal(a, inspection.Sandbox);
        Assert.DoesNotContain(c.PodIp, new[] { a.PodIp, b.PodIp });
    }

    [Fact]
    public async Task Sandboxes_made_at_once_on_a_new_bridge_all_pass_the_plugins_check()
    {
        var sandboxes = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => _bed.CreateSandboxAsync($"burst-{i}")));

        foreach (var sandbox in sandboxes)
        {
            var inspection = await _bed.Network.InspectSandboxAsync(sandbox.PodUid, CancellationToken.None);
            Assert.True(inspection.Status == SandboxStatus.Ready, inspection.Problem);
        }
    }

    [Fact]
    public async Task Inspection_finds_a_vanished_namespace_missing_and_a_damaged_one_broken()
    {
        var vanished = await _bed.CreateSandboxAsync("vanished");
        var damaged = await _bed.CreateSandboxAsync("damaged");
        await Host.CheckAsync("ip", "netns", "delete", vanished.NetworkNamespace);
        await Host.CheckAsync("ip", "-n", damaged.NetworkNamespace, "link", "delete", "eth0");

        var missing = await _bed.Network.InspectSandboxAsync(vanished.PodUid, CancellationToken.None);
        var broken = await _bed.Network.InspectSandboxAsync(damaged.PodUid, CancellationToken.None);

        Assert.Equal(SandboxStatus.Missing, missing.Status);
        Assert.Equal(SandboxStatus.Broken, broken.Status);
        Assert.Contains("CNI plugin bridge CHECK", broken.Problem, StringComparison.Ordinal);
        output.WriteLine(broken.Problem);
    }

    [Fact]
    public async Task Deleting_a_sandbox_whose_namespace_vanished_or_lost_eth0_leaves_no_masquerade_rule_behind()
    {
        var vanished = await _bed.CreateSandboxAsync("vanished");
        var damaged = await _bed.CreateSandboxAsync("damaged");
        await Host.CheckAsync("ip", "netns", "delete", vanished.NetworkNamespace);
        await Host.CheckAsync("ip", "-n", damaged.NetworkNamespace, "link", "delete", "eth0");

        await _bed.Network.DeleteSandboxAsync(vanished.PodUid, CancellationToken.None);
        await _bed.Network.DeleteSandboxAsync(damaged.PodUid, CancellationToken.None);

        var nat = await Host.CheckAsync("iptables-save", "-t", "nat");
        Assert.DoesNotContain(vanished.PodUid, nat, StringComparison.Ordinal);
        Assert.DoesNotContain(damaged.PodUid, nat, StringComparison.Ordinal);
        Assert.False(File.Exists(damaged.NetworkNamespacePath));
    }

    private static IPAddress Address(IPNetwork network, int offset)
    {
        var bytes = network.BaseAddress.GetAddressBytes();
        bytes[^1] += (byte)offset;
        return new IPAddress(bytes);
    }

    /// <summary>Retries an attempt until it exits 0: a listener just started may not be listening yet.</summary>
    private static async Task Eventually(Func<Task<(int ExitCode, string Stdout, string Stderr)>> attempt)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var (exitCode, _, stderr) = await attempt();
            if (exitCode == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"still failing after {Patience}: {stderr}");
            }

            await Task.Delay(50);
        }
    }
}
