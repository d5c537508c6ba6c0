using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// <c>kubectl delete pod</c> honours terminationGracePeriodSeconds: SIGTERM first, and SIGKILL only
/// when the grace period is over.
/// </summary>
[Collection(GantryCollection.Name)]
[Trait(Matrix.Trait, Matrix.DefaultKubectlOnly)]
public sealed class TerminationTests(GantryFixture fixture, ITestOutputHelper output) : PodTest(fixture, output)
{
    [Theory]
    [InlineData(null)]
    [InlineData("process")]
    public async Task A_pod_that_exits_on_SIGTERM_is_deleted_long_before_its_grace_period_ends(string? runtimeClass)
    {
        var ns = await CreateNamespaceAsync("sigterm-" + (runtimeClass ?? "oci"));
        await RunPodAsync(ns, "polite", runtimeClass, "trap 'echo got SIGTERM; exit 0' TERM; echo trapping; while true; do sleep 0.2; done",
            spec: new { terminationGracePeriodSeconds = 30 });
        await WaitForLogAsync(ns, "polite", "trapping");

        var deleted = await Ok(new KubectlOptions { Timeout = TimeSpan.FromSeconds(60) }, "delete", "pod", "polite", "-n", ns, "--timeout=50s");

        Assert.True(deleted.Duration < TimeSpan.FromSeconds(10), $"deleting took {deleted.Duration.TotalSeconds:F1}s of a 30s grace period");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("process")]
    public async Task A_pod_that_ignores_SIGTERM_is_killed_when_its_grace_period_ends(string? runtimeClass)
    {
        const int grace = 4;
        var ns = await CreateNamespaceAsync("sigkill-" + (runtimeClass ?? "oci"));
        await RunPodAsync(ns, "stubborn", runtimeClass, "trap '' TERM; echo ignoring; while true; do sleep 0.2; done",
            spec: new { terminationGracePeriodSeconds = grace });
        await WaitForLogAsync(ns, "stubborn", "ignoring");

        var deleted = await Ok(new KubectlOptions { Timeout = TimeSpan.FromSeconds(60) }, "delete", "pod", "stubborn", "-n", ns, "--timeout=50s");

        Assert.InRange(deleted.Duration.TotalSeconds, grace - 0.5, grace + 8);
    }
}
