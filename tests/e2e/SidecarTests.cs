using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// Sidecar containers (init containers with <c>restartPolicy: Always</c>), as kubelet 1.29 and later runs them: they
/// start before the regular containers, run beside them, count in READY, and stop once the regular containers are done.
/// </summary>
[Collection(GantryCollection.Name)]
[Trait(Matrix.Trait, Matrix.DefaultKubectlOnly)]
public sealed class SidecarTests(GantryFixture fixture, ITestOutputHelper output) : PodTest(fixture, output)
{
    private static object[] Sidecar(string script) =>
        [new { name = "sidecar", image = "busybox", restartPolicy = "Always", command = new[] { "sh", "-c", script } }];

    [Fact]
    public async Task A_sidecar_runs_beside_the_container_and_counts_in_READY()
    {
        var ns = await CreateNamespaceAsync("sidecar-runs");
        await RunPodAsync(ns, "app", "process", "echo main up; sleep 3600",
            spec: new { initContainers = Sidecar("echo sidecar up; sleep 3600") });
        await WaitForLogAsync(ns, "app", "main up");

        Assert.Contains("sidecar up", (await Ok("logs", "app", "-c", "sidecar", "-n", ns)).Stdout, StringComparison.Ordinal);
        var row = Cells((await Ok("get", "pod", "app", "-n", ns, "--no-headers")).Stdout.Trim());
        Assert.Equal(("2/2", "Running"), (row[1], row[2]));
        Assert.Equal("true", await JsonPath(ns, "pod/app", "{.status.initContainerStatuses[0].started}"));
    }

    [Fact]
    public async Task A_pod_whose_container_succeeded_stops_its_sidecar_and_succeeds()
    {
        var ns = await CreateNamespaceAsync("sidecar-job");
        await CreatePodAsync(ns, "job", "process", "echo work done",
            spec: new { restartPolicy = "Never", initContainers = Sidecar("trap 'exit 0' TERM; while true; do sleep 0.2; done") });

        await WaitForPhaseAsync(ns, "job", "Succeeded");

        Assert.Equal("Completed", await JsonPath(ns, "pod/job", "{.status.containerStatuses[0].state.terminated.reason}"));
        Assert.NotEmpty(await JsonPath(ns, "pod/job", "{.status.initContainerStatuses[0].state.terminated.finishedAt}"));
    }
}
