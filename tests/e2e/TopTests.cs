using System.Globalization;
using System.Text.Json;
using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// <c>kubectl top</c> over the resource metrics API (metrics.k8s.io/v1beta1), with the usage the agent samples from
/// the pods' cgroups and the node's /proc. A CPU figure needs two samples of the agent's 10 s loop (or one, a few
/// seconds after the container started), so the tests wait for it.
/// </summary>
[Collection(GantryCollection.Name)]
public sealed class TopTests(GantryFixture fixture, ITestOutputHelper output) : PodTest(fixture, output)
{
    /// <summary>Two of the agent's 10 s samples, with room for a busy machine.</summary>
    private static readonly TimeSpan SamplingPatience = TimeSpan.FromSeconds(35);

    [Fact]
    public async Task Top_pod_shows_a_pod_that_burns_cpu_with_its_cpu_and_memory()
    {
        var ns = await CreateNamespaceAsync("top-pod");
        await RunPodAsync(ns, "burner", null, "while :; do :; done");

        var top = await Eventually.Until(() => Run("top", "pod", "-n", ns, "--no-headers"),
            r => r.Succeeded && r.Stdout.StartsWith("burner ", StringComparison.Ordinal), SamplingPatience, "the burner in kubectl top pod", r => r.Describe());

        var cells = Cells(top.StdoutLines.Single());
        Assert.True(Millicores(cells[1]) >= 100, $"a busy loop should use at least 100m, kubectl top printed {top.Stdout}");
        Assert.EndsWith("Mi", cells[2], StringComparison.Ordinal);
        var metrics = await GetJsonRaw($"/apis/metrics.k8s.io/v1beta1/namespaces/{ns}/pods/burner");
        var usage = metrics.GetProperty("containers")[0].GetProperty("usage");
        Assert.NotEqual("0", usage.GetProperty("memory").GetString());
    }

    [Fact]
    public async Task Top_node_prints_the_node_with_its_cpu_and_memory_shares()
    {
        var node = await NodeNameAsync();

        var top = await Eventually.Until(() => Run("top", "node", "--no-headers"),
            r => r.Succeeded && r.Stdout.StartsWith(node + " ", StringComparison.Ordinal), SamplingPatience, "the node in kubectl top node", r => r.Describe());

        var cells = Cells(top.StdoutLines.Single());
        Assert.EndsWith("m", cells[1], StringComparison.Ordinal);
        Assert.EndsWith("%", cells[2], StringComparison.Ordinal);
        Assert.EndsWith("Mi", cells[3], StringComparison.Ordinal);
        Assert.EndsWith("%", cells[4], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pod_without_metrics_is_not_found_in_metrics_server_words()
    {
        var ns = await CreateNamespaceAsync("top-pending");
        await CreateObjectAsync(ns, new
        {
            apiVersion = "v1",
            kind = "Pod",
            metadata = new { name = "pending" },
            spec = new { nodeSelector = new Dictionary<string, string> { ["gantry.io/no-such-node"] = "true" }, containers = new[] { new { name = "main", image = "busybox" } } },
        });

        var refused = await Fails("get", "--raw", $"/apis/metrics.k8s.io/v1beta1/namespaces/{ns}/pods/pending");

        Check.StderrContains(refused, $"podmetrics.metrics.k8s.io \"{ns}/pending\" not found");
    }

    private async Task<JsonElement> GetJsonRaw(string path) =>
        JsonDocument.Parse((await Ok("get", "--raw", path)).Stdout).RootElement.Clone();

    private static int Millicores(string cell) =>
        cell.EndsWith('m') ? int.Parse(cell[..^1], CultureInfo.InvariantCulture) : int.Parse(cell, CultureInfo.InvariantCulture) * 1000;
}
