using Gantry.Agent;
using Gantry.Agent.Cleanup;
using Gantry.Agent.Network;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Gantry.NetworkTests;

/// <summary>
/// The sweep an agent makes at start. Its namespaces use a prefix of their own, so that the sweep never meets the
/// sandboxes other network tests make meanwhile; the clock runs two minutes ahead so they count as old enough.
/// </summary>
public sealed class StaleSandboxSweepTests : IAsyncLifetime
{
    private const string Prefix = "gantrys-";

    private readonly string _registryDirectory = Path.Combine(Path.GetTempPath(), $"gantry-registry-{Guid.NewGuid():N}");
    private readonly List<string> _namespaces = [];
    private TestBed _bed = null!;

    public Task InitializeAsync()
    {
        _bed = TestBed.Create();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var name in _namespaces)
        {
            await Host.RunAsync("ip", "netns", "delete", name);
        }

        await _bed.DisposeAsync();
        if (Directory.Exists(_registryDirectory))
        {
            Directory.Delete(_registryDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Removes_an_empty_namespace_no_registered_agent_claims()
    {
        var stale = await AddNamespaceAsync();

        var removed = await Sweep(TimeSpan.FromMinutes(2)).RunAsync(CancellationToken.None);

        Assert.False(Exists(stale));
        Assert.True(removed >= 1);
    }

    [Fact]
    public async Task Keeps_the_sandbox_of_a_pod_a_registered_agent_made()
    {
        var registry = new AgentRegistry(_registryDirectory);
        var agentState = Path.Combine(_bed.Options.StateDirectory, "agent");
        registry.Add(agentState);
        var network = new PodNetwork(_bed.Options with { StateDirectory = Path.Combine(agentState, AgentLayout.Network), NamespacePrefix = Prefix });
        var uid = Guid.NewGuid().ToString();
        var sandbox = await network.CreateSandboxAsync(uid, "claimed", "default", CancellationToken.None);
        _namespaces.Add(sandbox.NetworkNamespace);
        try
        {
            await Sweep(TimeSpan.FromMinutes(2), registry).RunAsync(CancellationToken.None);

            Assert.True(Exists(sandbox.NetworkNamespace));
        }
        finally
        {
            await network.DeleteSandboxAsync(uid, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Forgets_a_registered_state_directory_that_was_deleted()
    {
        var registry = new AgentRegistry(_registryDirectory);
        registry.Add(Path.Combine(_bed.Options.StateDirectory, "deleted", "agent"));

        await Sweep(TimeSpan.FromMinutes(2), registry).RunAsync(CancellationToken.None);

        Assert.Empty(registry.StateDirectories());
    }

    [Fact]
    public async Task Keeps_a_namespace_a_process_runs_in()
    {
        var busy = await AddNamespaceAsync();
        using var sleeper = Host.Start("ip", "netns", "exec", busy, "sleep", "60");
        await WaitForProcessInAsync(busy);

        await Sweep(TimeSpan.FromMinutes(2)).RunAsync(CancellationToken.None);

        Assert.True(Exists(busy));
    }

    [Fact]
    public async Task Keeps_a_namespace_made_less_than_a_minute_ago()
    {
        var young = await AddNamespaceAsync();

        await Sweep(TimeSpan.Zero).RunAsync(CancellationToken.None);

        Assert.True(Exists(young));
    }

    private StaleSandboxSweep Sweep(TimeSpan ahead, AgentRegistry? registry = null) =>
        new(registry ?? new AgentRegistry(_registryDirectory), NullLogger.Instance, new ClockAhead(ahead)) { Prefix = Prefix };

    private async Task<string> AddNamespaceAsync()
    {
        var name = Prefix + Guid.NewGuid().ToString("N")[..12];
        var (exitCode, _, stderr) = await Host.RunAsync("ip", "netns", "add", name);
        Assert.True(exitCode == 0, stderr);
        _namespaces.Add(name);
        return name;
    }

    private static async Task WaitForProcessInAsync(string name)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var (_, pids, _) = await Host.RunAsync("ip", "netns", "pids", name);
            if (pids.Trim().Length > 0)
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"no process entered {name}");
    }

    private static bool Exists(string name) => File.Exists(Path.Combine("/var/run/netns", name));

    private sealed class ClockAhead(TimeSpan ahead) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + ahead;
    }
}
