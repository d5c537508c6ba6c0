using System.Globalization;
using System.Text.Json;
using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>Limits hold against workloads that try to take the node down: memory (the OOM killer) and process count (pids.max).</summary>
[Collection(GantryCollection.Name)]
[Trait(Matrix.Trait, Matrix.DefaultKubectlOnly)]
public sealed class ResourceLimitTests(GantryFixture fixture, ITestOutputHelper output) : PodTest(fixture, output)
{
    /// <summary>What the agent writes to pids.max for every container (ContainerSpecs.DefaultPidsLimit).</summary>
    private const long PidsLimit = 4096;

    [Theory]
    [InlineData(null)]
    [InlineData("process")]
    public async Task A_pod_allocating_past_its_memory_limit_ends_OOMKilled_while_the_node_stays_Ready(string? runtimeClass)
    {
        var ns = await CreateNamespaceAsync("oom-" + (runtimeClass ?? "oci"));
        // The shell doubles a string until the cgroup's 32Mi are gone.
        await CreatePodAsync(ns, "hog", runtimeClass, "echo allocating; x=a; while true; do x=$x$x; done",
            container: new { resources = new { limits = new Dictionary<string, string> { ["memory"] = "32Mi" } } },
            spec: new { restartPolicy = "Never" });

        var status = await Eventually.Until(() => ContainerStatusAsync(ns, "hog"),
            s => s.ValueKind == JsonValueKind.Object && s.GetProperty("state").TryGetProperty("terminated", out _),
            StartPatience, "the memory hog to be terminated", s => s.ToString());

        var terminated = status.GetProperty("state").GetProperty("terminated");
        Assert.Equal(("OOMKilled", 137), (terminated.GetProperty("reason").GetString(), terminated.GetProperty("exitCode").GetInt32()));
        Check.Equal("Failed", await JsonPath(ns, "pod/hog", "{.status.phase}"), "the pod's phase");
        await AssertNodeReadyAsync();
        await Ok("delete", "pod", "hog", "-n", ns, "--timeout=30s");
    }

    [Fact]
    public async Task A_fork_bomb_is_held_by_the_pids_limit_and_the_pod_can_still_be_deleted()
    {
        var ns = await CreateNamespaceAsync("fork-bomb");
        // The classic bomb: every process forks two more. The container's init (a sleep, which
        // never forks) reaps nothing, so every process ever forked keeps its PID.
        await RunPodAsync(ns, "bomb", null, "b() { b | b & }; b; exec sleep 100000",
            container: new { resources = new { limits = new Dictionary<string, string> { ["cpu"] = "500m" } } },
            spec: new { terminationGracePeriodSeconds = 1 });
        var uid = await JsonPath(ns, "pod/bomb", "{.metadata.uid}");
        var cgroup = ContainerCgroup(uid, "pids") ?? throw new Xunit.Sdk.XunitException($"no pids cgroup for pod {uid} under /sys/fs/cgroup");
        Output.WriteLine($"container pids cgroup: {cgroup}");

        Assert.Equal(PidsLimit.ToString(CultureInfo.InvariantCulture), File.ReadAllText(Path.Combine(cgroup, "pids.max")).Trim());
        await Eventually.Until(() => Task.FromResult(ForkFailures(cgroup)), n => n > 0, StartPatience, "the bomb to hit pids.max");
        var current = await Eventually.Until(() => Task.FromResult(ProcessCount(cgroup)), n => n > PidsLimit - 64, Patience, "the bomb to fill pids.max");
        Output.WriteLine($"pids.current = {current}, forks refused = {ForkFailures(cgroup)}");
        for (var i = 0; i < 10; i++)
        {
            Assert.InRange(ProcessCount(cgroup), 1, PidsLimit);
        }

        Check.Equal("0", await JsonPath(ns, "pod/bomb", "{.status.containerStatuses[0].restartCount}"), "the bomb's restart count");

        await AssertNodeReadyAsync();
        await Ok(new KubectlOptions { Timeout = TimeSpan.FromSeconds(60) }, "delete", "pod", "bomb", "-n", ns, "--timeout=50s");
        Assert.False(Directory.Exists(cgroup), $"the container cgroup {cgroup} is left after deletion");
        await AssertNodeReadyAsync();
    }

    private static long ProcessCount(string cgroup) =>
        long.Parse(File.ReadAllText(Path.Combine(cgroup, "pids.current")), CultureInfo.InvariantCulture);

    /// <summary>How many forks the pids controller refused (the "max" line of pids.events).</summary>
    private static long ForkFailures(string cgroup) =>
        File.ReadAllLines(Path.Combine(cgroup, "pids.events"))
            .Select(line => line.Split(' '))
            .Where(fields => fields is ["max", _])
            .Select(fields => long.Parse(fields[1], CultureInfo.InvariantCulture))
            .FirstOrDefault();
}
