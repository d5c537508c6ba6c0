using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>Namespaces: creation, cascading deletion, and listing across all of them.</summary>
[Collection(GantryCollection.Name)]
public sealed class NamespaceTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    [Fact]
    public async Task Create_namespace_prints_created_and_the_namespace_is_active()
    {
        var result = await Ok("create", "namespace", "e2e-createns");

        Check.StdoutContains(result, "namespace/e2e-createns created");
        var phase = await Eventually.Until(
            async () => (await Ok("get", "namespace", "e2e-createns", "-o", "jsonpath={.status.phase}")).Stdout,
            p => p == "Active", Patience, "namespace phase Active");
        Check.Equal("Active", phase, "status.phase");
    }

    [Fact]
    public async Task Delete_namespace_removes_everything_in_it()
    {
        var ns = await CreateNamespaceAsync("delns");
        await CreateConfigMapAsync(ns, "inside", ("k", "v"));
        await Ok("create", "-f", Manifest("pod-web.yaml"), "-n", ns);
        await Ok("create", "-f", Manifest("deploy-web.yaml"), "-n", ns);

        var deleted = Check.Succeeded(await Kubectl.RunAsync(["delete", "namespace", ns], new KubectlOptions { Timeout = TimeSpan.FromSeconds(90) }));

        Check.StdoutContains(deleted, $"namespace \"{ns}\" deleted");
        var gone = await Eventually.Until(
            () => Run("get", "namespace", ns), r => r.ExitCode != 0, TimeSpan.FromSeconds(60), $"namespace {ns} to disappear", r => r.Describe());
        Check.StderrContains(gone, $"namespaces \"{ns}\" not found");
        var everywhere = await Ok("get", "configmaps,pods,deployments", "-A",
            "-o", "jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}{\"\\n\"}{end}");
        Assert.DoesNotContain(everywhere.StdoutLines, line => line.StartsWith(ns + "/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Get_across_all_namespaces_shows_a_NAMESPACE_column()
    {
        var first = await CreateNamespaceAsync("alla");
        var second = await CreateNamespaceAsync("allb");
        await Ok("create", "-f", Manifest("pod-web.yaml"), "-n", first);
        await Ok("create", "-f", Manifest("pod-web.yaml"), "-n", second);

        var result = await Ok("get", "pods", "-A");

        Assert.Equal(["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"], Cells(result.StdoutLines[0]));
        var rows = result.StdoutLines.Skip(1).Select(Cells).ToList();
        Assert.Contains(rows, c => c.Length >= 2 && c[0] == first && c[1] == "web");
        Assert.Contains(rows, c => c.Length >= 2 && c[0] == second && c[1] == "web");
    }
}
