using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// <c>kubectl debug POD -i --image=busybox</c>: an ephemeral container added through the pod's ephemeralcontainers
/// subresource, started once in the pod by the agent, reported in <c>status.ephemeralContainerStatuses</c>, and
/// reachable by logs and exec like any container of the pod.
/// </summary>
[Collection(GantryCollection.Name)]
[Trait(Matrix.Trait, Matrix.DefaultKubectlOnly)]
public sealed class DebugTests(GantryFixture fixture, ITestOutputHelper output) : PodTest(fixture, output)
{
    private static readonly KubectlOptions Patient = new() { Timeout = StartPatience };

    [Fact]
    public async Task A_debug_container_runs_once_in_the_pod_and_its_output_is_in_its_log()
    {
        var ns = await CreateNamespaceAsync("debug-run");
        await RunPodAsync(ns, "target", null, "sleep 3600");

        await Ok(Patient, "debug", "target", "-n", ns, "-i", "--image=busybox", "--container=dbg", "--", "sh", "-c", "echo from-debug");

        var state = await Eventually.Until(() => Run("get", "pod/target", "-n", ns, "-o", "jsonpath={.status.ephemeralContainerStatuses[0].state}"),
            r => r.Stdout.Contains("\"terminated\"", StringComparison.Ordinal), Patience, "the debug container's end in the pod's status");
        Assert.Contains("\"exitCode\":0", state.Stdout, StringComparison.Ordinal);
        Assert.Equal("from-debug\n", (await Ok("logs", "target", "-n", ns, "-c", "dbg")).Stdout);
        Assert.Equal("0", (await Ok("get", "pod/target", "-n", ns, "-o", "jsonpath={.status.containerStatuses[0].restartCount}")).Stdout);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("process")]
    public async Task A_debug_container_with_a_target_sees_the_targets_processes(string? runtimeClass)
    {
        var ns = await CreateNamespaceAsync(runtimeClass is null ? "debug-target" : $"debug-target-{runtimeClass}");
        await RunPodAsync(ns, "target", runtimeClass, "sleep 3600");

        await Ok(Patient, "debug", "target", "-n", ns, "-i", "--image=busybox", "--container=dbg", "--target=main", "--", "ps", "-o", "pid,args");

        var log = await Eventually.Until(() => Run("logs", "target", "-n", ns, "-c", "dbg"),
            r => r.Stdout.Contains("PID", StringComparison.Ordinal), Patience, "the output of ps in the debug container");
        Assert.Contains("sleep 3600", log.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_piped_to_a_debug_container_run_in_it_and_exec_reaches_it()
    {
        var ns = await CreateNamespaceAsync("debug-stdin");
        await RunPodAsync(ns, "target", null, "sleep 3600");

        await Ok(Patient with { Stdin = "echo piped-in\n" }, "debug", "target", "-n", ns, "-i", "--image=busybox", "--container=dbg", "--", "sh");

        await Eventually.Until(() => Run("logs", "target", "-n", ns, "-c", "dbg"),
            r => r.Stdout == "piped-in\n", Patience, "the piped command's output in the debug container's log");
        Assert.Equal("inside\n", (await Ok("exec", "target", "-n", ns, "-c", "dbg", "--", "echo", "inside")).Stdout);
    }

    [Fact]
    public async Task Debug_containers_are_adopted_not_started_again_when_gantry_is_SIGKILLed_and_restarted()
    {
        var ns = await CreateNamespaceAsync("debug-restart");
        await RunPodAsync(ns, "target", null, "sleep 3600");
        await Ok(Patient, "debug", "target", "-n", ns, "--image=busybox", "--container=done", "--", "true");
        await Ok(Patient, "debug", "target", "-n", ns, "--image=busybox", "--container=live", "--", "sleep", "3600");
        const string states = "{range .status.ephemeralContainerStatuses[*]}{.name}={.containerID}/{.state.*.containerID}{.state.running.startedAt} {end}";
        var before = await Eventually.Until(() => Run("get", "pod/target", "-n", ns, "-o", "jsonpath=" + states),
            r => r.Stdout.Contains("done=oci://", StringComparison.Ordinal) && r.Stdout.Contains("/oci://", StringComparison.Ordinal) &&
                 r.Stdout.Contains("live=oci://", StringComparison.Ordinal) && r.Stdout.Contains('Z'),
            StartPatience, "the first debug container's end and the second's start");

        Output.WriteLine(await Fixture.KillAndRestartAsync());

        await Eventually.Until(
            () => Kubectl.RunAsync(["exec", "target", "-n", ns, "-c", "live", "--", "echo", "in-live"], new KubectlOptions { Timeout = TimeSpan.FromSeconds(10) }),
            r => r.Succeeded && r.Stdout.Trim() == "in-live", TimeSpan.FromSeconds(45), "exec into the running debug container after the restart");
        Assert.Equal(before.Stdout, (await Ok("get", "pod/target", "-n", ns, "-o", "jsonpath=" + states)).Stdout);
    }
}

