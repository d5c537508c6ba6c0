using Gantry.Agent.Network;
using Xunit;

namespace Gantry.NetworkTests;

public sealed class SandboxPoolTests : IAsyncLifetime
{
    private TestBed _bed = null!;

    public Task InitializeAsync()
    {
        _bed = TestBed.Create();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task A_pod_takes_a_pooled_sandbox_that_a_restarted_agent_adopts_while_the_untaken_one_is_undone()
    {
        var options = _bed.Options with { PoolSize = 2 };
        var agent = new PodNetwork(options);
        await agent.FillPoolAsync(CancellationToken.None);
        var pooledNamespaces = PoolNamespaces();
        Assert.Equal(2, agent.PooledSandboxes);
        Assert.Equal(2, Allocations().Count);

        var uid = _bed.NewPodUid();
        var pod = await agent.CreateSandboxAsync(uid, "pooled", "default", CancellationToken.None);

        Assert.Contains(pod.NetworkNamespace, pooledNamespaces);
        Assert.Equal(uid, pod.PodUid);
        Assert.Equal(1, agent.PooledSandboxes);

        var restarted = new PodNetwork(options);
        await restarted.RecoverPoolAsync(CancellationToken.None);
        var inspection = await restarted.InspectSandboxAsync(uid, CancellationToken.None);

        // The problem goes with the status, so that a failure says what the inspection found.
        Assert.Equal((SandboxStatus.Ready, (string?)null), (inspection.Status, inspection.Problem));
        Assert.Equal(pod, inspection.Sandbox);
        Assert.Equal([pod.PodIp.ToString()], Allocations());
        Assert.All(pooledNamespaces.Where(n => n != pod.NetworkNamespace), n => Assert.False(File.Exists(Path.Combine("/var/run/netns", n)), $"{n} leaked"));

        await restarted.DeleteSandboxAsync(uid, CancellationToken.None);

        Assert.False(File.Exists(pod.NetworkNamespacePath));
        Assert.Empty(Allocations());
    }

    [Fact]
    public async Task A_sandbox_taken_just_before_a_crash_stays_the_pods_after_recovery()
    {
        var agent = new PodNetwork(_bed.Options with { PoolSize = 1 });
        await agent.FillPoolAsync(CancellationToken.None);
        var poolFile = Directory.GetFiles(PoolDirectory, "*.json").Single();
        var saved = await File.ReadAllBytesAsync(poolFile);
        var uid = _bed.NewPodUid();
        var pod = await agent.CreateSandboxAsync(uid, "claimed", "default", CancellationToken.None);

        // The agent wrote the pod's record and died before the pool forgot the sandbox.
        await File.WriteAllBytesAsync(poolFile, saved);
        var restarted = new PodNetwork(_bed.Options with { PoolSize = 1 });
        await restarted.RecoverPoolAsync(CancellationToken.None);

        Assert.Empty(Directory.GetFiles(PoolDirectory));
        var inspection = await restarted.InspectSandboxAsync(uid, CancellationToken.None);
        Assert.Equal((SandboxStatus.Ready, (string?)null), (inspection.Status, inspection.Problem));
        Assert.Equal([pod.PodIp.ToString()], Allocations());
    }

    [Fact]
    public async Task A_pool_stopped_with_the_agent_undoes_its_sandboxes()
    {
        var agent = new PodNetwork(_bed.Options with { PoolSize = 2 });
        using var stop = new CancellationTokenSource();
        var run = agent.RunPoolAsync(stop.Token);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (agent.PooledSandboxes < 2 && !run.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        var pooled = PoolNamespaces();
        await stop.CancelAsync();
        await run;

        Assert.Equal(2, pooled.Count);
        Assert.All(pooled, n => Assert.False(File.Exists(Path.Combine("/var/run/netns", n)), $"{n} leaked"));
        Assert.Empty(Allocations());
        Assert.Empty(Directory.GetFiles(PoolDirectory));
    }

    private string PoolDirectory => Path.Combine(_bed.Options.StateDirectory, "sandboxes", "pool");

    private List<string> PoolNamespaces() =>
        Directory.GetFiles(PoolDirectory, "*.json")
            .Select(f => _bed.Options.NamespacePrefix + Guid.Parse(Path.GetFileNameWithoutExtension(f)).ToString("N")[..12])
            .ToList();

    /// <summary>The addresses host-local has handed out and not released.</summary>
    private List<string> Allocations()
    {
        var directory = Path.Combine(_bed.Options.StateDirectory, "ipam", _bed.Options.NetworkName);
        return Directory.Exists(directory)
            ? Directory.GetFiles(directory).Select(Path.GetFileName).Where(n => System.Net.IPAddress.TryParse(n, out _)).Select(n => n!).ToList()
            : [];
    }
}
