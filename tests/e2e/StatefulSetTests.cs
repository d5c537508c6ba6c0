using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// StatefulSets through the real kubectl: pods named by ordinal that become ready in order, scaling from the highest
/// ordinal, a rolling update that <c>kubectl rollout status</c> follows, and <c>rollout history</c> and <c>undo</c>
/// through the set's controller revisions.
/// </summary>
[Collection(GantryCollection.Name)]
public sealed class StatefulSetTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private static readonly KubectlOptions Rollout = new() { Timeout = TimeSpan.FromSeconds(130) };

    private async Task<string> ApplyAndRollOutAsync(string shortName)
    {
        var ns = await CreateNamespaceAsync(shortName);
        await Ok("apply", "-f", Manifest("statefulset-web.yaml"), "-n", ns);
        Check.StdoutContains(await Ok(Rollout, "rollout", "status", "sts/web", "-n", ns, "--timeout=120s"),
            "partitioned roll out complete: 3 new pods have been updated...");
        return ns;
    }

    private async Task<IReadOnlyList<string>> UntilPods(string ns, params string[] names) =>
        await Eventually.Until(() => Names(ns, "pods", "-l", "app=web"), pods => pods.SequenceEqual(names), Patience, string.Join(", ", names),
            pods => string.Join(", ", pods));

    [Fact]
    public async Task A_statefulset_makes_its_pods_ready_in_order_and_scales_down_from_the_highest_ordinal()
    {
        var ns = await ApplyAndRollOutAsync("sts-order");

        var table = await Ok("get", "sts", "web", "-n", ns, "-o", "wide");
        Check.Equal("NAME READY AGE CONTAINERS IMAGES", string.Join(' ', Cells(table.StdoutLines[0])), "columns");
        Check.Equal("web 3/3", string.Join(' ', Cells(table.StdoutLines[1])[..2]), "ready of desired");
        var created = (await JsonPath(ns, "pods", "{range .items[*]}{.metadata.name} {.metadata.creationTimestamp} {.status.conditions[?(@.type==\"Ready\")].lastTransitionTime}{\"\\n\"}{end}"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Cells).OrderBy(c => c[0], StringComparer.Ordinal).ToList();
        Check.Equal("web-0 web-1 web-2", string.Join(' ', created.Select(c => c[0])), "pod names");
        for (var i = 1; i < created.Count; i++)
        {
            Check.Equal(true, string.CompareOrdinal(created[i][1], created[i - 1][2]) >= 0, $"{created[i][0]} created once {created[i - 1][0]} was ready");
        }

        Check.Equal("web-1 web", await JsonPath(ns, "pod/web-1", "{.spec.hostname} {.spec.subdomain}"), "hostname and subdomain");

        await Ok("scale", "sts", "web", "-n", ns, "--replicas=1");
        await UntilPods(ns, "web-0");
    }

    [Fact]
    public async Task A_statefulset_rolls_to_a_new_image_and_is_undone_through_its_revisions()
    {
        var ns = await ApplyAndRollOutAsync("sts-rollout");

        await Ok("set", "image", "sts/web", "main=busybox:latest", "-n", ns);
        Check.StdoutContains(await Ok(Rollout, "rollout", "status", "sts/web", "-n", ns, "--timeout=120s"), "partitioned roll out complete: 3 new pods have been updated...");
        Check.Equal("busybox:latest busybox:latest busybox:latest", await JsonPath(ns, "pods", "{.items[*].spec.containers[0].image}"), "pod images");
        Check.Equal("1 2", Revisions(await Ok("rollout", "history", "sts/web", "-n", ns)), "revisions before the undo");

        Check.StdoutContains(await Ok("rollout", "undo", "sts/web", "-n", ns), "rolled back");
        await Ok(Rollout, "rollout", "status", "sts/web", "-n", ns, "--timeout=120s");
        Check.Equal("busybox", await JsonPath(ns, "sts/web", "{.spec.template.spec.containers[0].image}"), "template image");
        Check.Equal("2 3", Revisions(await Ok("rollout", "history", "sts/web", "-n", ns)), "revisions after the undo: the first one renumbered");
        Check.StdoutContains(await Ok("rollout", "undo", "sts/web", "-n", ns, "--to-revision=3"), "skipped rollback (current template already matches revision 3)");
    }
}
