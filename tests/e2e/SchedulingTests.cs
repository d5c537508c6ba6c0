using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// The pod scheduler through the real kubectl: pods that name no node are placed and run, replicas
/// of a controller run, and a pod that fits nowhere says why in <c>kubectl describe</c> and in
/// <c>gantry explain</c>, in Kubernetes' words.
/// </summary>
[Collection(GantryCollection.Name)]
public sealed class SchedulingTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(60);
    private static readonly string[] SleepCommand = ["sleep", "3600"];

    private async Task<CommandResult> Gantry(params string[] args)
    {
        var result = await ProcessRunner.RunAsync(RepoPaths.GantryBinary, [.. args, "--data-dir", Fixture.DataDir], null, null, TimeSpan.FromSeconds(60));
        Output.WriteLine(result.Describe());
        return result;
    }

    [Fact]
    public async Task Kubectl_run_of_busybox_is_scheduled_and_runs()
    {
        var ns = await CreateNamespaceAsync("sched-run");

        await Ok("run", "x", "--image=busybox", "-n", ns, "--", "sh", "-c", "echo scheduled; sleep 3600");

        await Ok(new KubectlOptions { Timeout = StartPatience + TimeSpan.FromSeconds(10) },
            "wait", "--for=condition=Ready", "pod/x", "-n", ns, $"--timeout={(int)StartPatience.TotalSeconds}s");
        var node = await JsonPath(ns, "pod/x", "{.spec.nodeName}");
        Assert.False(string.IsNullOrEmpty(node));
        await Eventually.Until(() => Run("logs", "x", "-n", ns), r => r.Stdout.Contains("scheduled", StringComparison.Ordinal), Patience, "the pod's log");
        Check.StdoutContains(await Ok("get", "events", "-n", ns, "--field-selector", "reason=Scheduled"), $"Successfully assigned {ns}/x to {node}");
        await Ok("delete", "pod", "x", "-n", ns, "--grace-period=1", "--timeout=30s");
    }

    [Fact]
    public async Task The_replicas_of_a_replication_controller_run_and_follow_its_scale()
    {
        var ns = await CreateNamespaceAsync("sched-rc");
        await CreateObjectAsync(ns, new
        {
            apiVersion = "v1",
            kind = "ReplicationController",
            metadata = new { name = "web" },
            spec = new
            {
                replicas = 3,
                selector = new Dictionary<string, string> { ["app"] = "web" },
                template = new
                {
                    metadata = new { labels = new Dictionary<string, string> { ["app"] = "web" } },
                    spec = new
                    {
                        terminationGracePeriodSeconds = 1,
                        runtimeClassName = "process",
                        containers = new[] { new { name = "main", image = "busybox", command = SleepCommand } },
                    },
                },
            },
        });

        await UntilRunning(ns, 3);
        await Ok("scale", "rc", "web", "--replicas=6", "-n", ns);
        await UntilRunning(ns, 6);
        Assert.Equal(6, (await Names(ns, "pods", "-l", "app=web")).Count);
        await Ok("delete", "rc", "web", "-n", ns, "--timeout=60s");
    }

    [Fact]
    public async Task A_pod_of_an_incomplete_gang_waits_for_it_and_gantry_explain_says_so()
    {
        var ns = await CreateNamespaceAsync("sched-gang");
        foreach (var name in new[] { "g-0", "g-1" })
        {
            await CreateObjectAsync(ns, new
            {
                apiVersion = "v1",
                kind = "Pod",
                metadata = new
                {
                    name,
                    labels = new Dictionary<string, string> { ["scheduling.gantry.io/gang"] = "trio" },
                    annotations = new Dictionary<string, string> { ["scheduling.gantry.io/gang-size"] = "3" },
                },
                spec = new { containers = new[] { new { name = "main", image = "busybox", command = SleepCommand } } },
            });
        }

        const string Reason = "waiting for gang trio: 2 of 3 pods exist";
        await Eventually.Until(() => Run("describe", "pod", "g-0", "-n", ns), r => r.Stdout.Contains(Reason, StringComparison.Ordinal),
            Patience, "the gang's FailedScheduling event");

        var explained = Check.Succeeded(await Gantry("explain", "pod", "g-0", "-n", ns));
        Check.StdoutContains(explained, "It belongs to gang trio of 3 pods: 2 exist, 0 bound");
        Check.StdoutContains(explained, "The scheduler cannot place it now: " + Reason);
    }

    [Fact]
    public async Task A_pod_that_fits_nowhere_says_why_in_describe_and_in_gantry_explain()
    {
        var ns = await CreateNamespaceAsync("sched-unfit");
        await CreateObjectAsync(ns, new
        {
            apiVersion = "v1",
            kind = "Pod",
            metadata = new { name = "huge" },
            spec = new
            {
                containers = new[] { new { name = "main", image = "busybox", resources = new { requests = new Dictionary<string, string> { ["cpu"] = "500" } } } },
            },
        });

        const string Reason = "0/1 nodes are available: 1 Insufficient cpu.";
        await Eventually.Until(() => Run("describe", "pod", "huge", "-n", ns),
            r => r.Stdout.Contains("FailedScheduling", StringComparison.Ordinal) && r.Stdout.Contains(Reason, StringComparison.Ordinal),
            Patience, "the FailedScheduling event");
        Assert.Equal("False", await JsonPath(ns, "pod/huge", "{.status.conditions[?(@.type==\"PodScheduled\")].status}"));
        Assert.Equal("Unschedulable", await JsonPath(ns, "pod/huge", "{.status.conditions[?(@.type==\"PodScheduled\")].reason}"));

        var explained = Check.Succeeded(await Gantry("explain", "pod", "huge", "-n", ns));
        Check.StdoutContains(explained, Reason);
        Check.StdoutContains(explained, "refused by NodeResourcesFit: Insufficient cpu");
        await Ok("delete", "pod", "huge", "-n", ns);
    }

    [Fact]
    public async Task A_pod_naming_an_unknown_priority_class_is_refused()
    {
        var ns = await CreateNamespaceAsync("sched-priority");

        var refused = await Fails("run", "p", "--image=busybox", "-n", ns, "--overrides", """{"spec":{"priorityClassName":"nope"}}""");

        Check.StderrContains(refused, "no PriorityClass with name nope was found");
        Assert.Empty(await Names(ns, "pods"));
    }

    private Task<CommandResult> UntilRunning(string ns, int count) =>
        Eventually.Until(() => Run("get", "pods", "-n", ns, "-l", "app=web", "--field-selector", "status.phase=Running", "-o", "name"),
            r => r.StdoutLines.Count(l => l.Length > 0) == count, StartPatience, $"{count} running pods");
}
