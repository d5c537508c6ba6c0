using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// A pod's <c>securityContext</c> as its containers live it: the user they run as, and the volumes the pod's
/// <c>fsGroup</c> owns, as kubelet gives them to it.
/// </summary>
[Collection(GantryCollection.Name)]
[Trait(Matrix.Trait, Matrix.DefaultKubectlOnly)]
public sealed class SecurityContextTests(GantryFixture fixture, ITestOutputHelper output) : PodTest(fixture, output)
{
    [Fact]
    public async Task FsGroup_owns_an_emptyDir_and_a_configMap_for_a_non_root_user()
    {
        var ns = await CreateNamespaceAsync("fsgroup");
        await CreateConfigMapAsync(ns, "settings", ("mode", "prod"));

        // defaultMode 0400: only the fsGroup's read bit lets user 1000 read the file.
        await RunPodAsync(ns, "owned", null, "sleep 3600",
            container: new { volumeMounts = new[] { new { name = "scratch", mountPath = "/scratch" }, new { name = "config", mountPath = "/config" } } },
            spec: new
            {
                securityContext = new { runAsUser = 1000, fsGroup = 2000 },
                volumes = new object[]
                {
                    new { name = "scratch", emptyDir = new { } },
                    new { name = "config", configMap = new { name = "settings", defaultMode = 256 } },
                },
            });

        Assert.Equal("2000", (await Ok("exec", "owned", "-n", ns, "--", "stat", "-c", "%g", "/scratch")).Stdout.Trim());
        Assert.Equal("1000 2000", (await Ok("exec", "owned", "-n", ns, "--", "sh", "-c", "touch /scratch/made && stat -c '%u %g' /scratch/made")).Stdout.Trim());
        Assert.Equal("prod", (await Ok("exec", "owned", "-n", ns, "--", "cat", "/config/mode")).Stdout.Trim());
        await Ok("delete", "pod", "owned", "-n", ns, "--timeout=30s");
    }
}
