using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary><c>kubectl get -w</c>: the initial list, then each change as it happens.</summary>
[Collection(GantryCollection.Name)]
public sealed class WatchTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    [Fact]
    public async Task Get_watch_names_prints_configmaps_as_they_are_created_and_changed()
    {
        var ns = await CreateNamespaceAsync("watch-cm");
        await CreateConfigMapAsync(ns, "first", ("k", "v"));
        await using var watch = Kubectl.Start(["get", "configmaps", "-n", ns, "-w", "-o", "name"]);
        await watch.WaitForStdoutAsync(o => o.Contains("configmap/first\n", StringComparison.Ordinal), Patience, "the initial list to show configmap/first");

        await CreateConfigMapAsync(ns, "second", ("k", "v"));
        await watch.WaitForStdoutAsync(o => o.Contains("configmap/second\n", StringComparison.Ordinal), Patience, "the watch to show configmap/second (ADDED)");

        await Ok("label", "configmap", "first", "-n", ns, "seen=yes");
        await watch.WaitForStdoutAsync(o => Count(o, "configmap/first\n") >= 2, Patience, "the watch to show configmap/first again (MODIFIED)");

        Assert.False(watch.HasExited, "kubectl get -w exited on its own; the watch stream must stay open.\n" + watch.Snapshot().Describe());
    }

    [Fact]
    public async Task Get_watch_pods_prints_a_table_row_for_a_new_pending_pod()
    {
        var ns = await CreateNamespaceAsync("watch-pods");
        await Ok("create", "-f", Manifest("pod-web.yaml"), "-n", ns);
        await using var watch = Kubectl.Start(["get", "pods", "-n", ns, "-w"]);
        await watch.WaitForStdoutAsync(o => HasRow(o, "web"), Patience, "the initial list to show pod web");

        await Ok("run", "second", "--image=busybox:1.36", "-n", ns, "--restart=Never");

        await watch.WaitForStdoutAsync(o => HasRow(o, "second", "Pending"), Patience, "a watch row 'second … Pending'");
        Assert.StartsWith("NAME", watch.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_answers_with_headers_before_the_first_event()
    {
        // kube-apiserver writes and flushes a watch's 200 and headers at once; clients with a response-header
        // timeout (and kubectl -v=6 logging) depend on it while nothing changes.
        var ns = await CreateNamespaceAsync("watch-headers");
        var listVersion = await JsonPath(ns, "configmaps", "{.metadata.resourceVersion}");
        var headers = TempFile("headers.txt");

        var curl = await ProcessRunner.RunAsync(
            "curl",
            ["-sk", "-N", "--max-time", "3", "-D", headers, "-o", "/dev/null", "-H", "Authorization: Bearer " + AdminToken(),
             $"{Fixture.BaseUrl}/api/v1/namespaces/{ns}/configmaps?watch=true&resourceVersion={listVersion}"],
            null, null, TimeSpan.FromSeconds(15));
        Output.WriteLine(curl.Describe());

        var received = File.Exists(headers) ? await File.ReadAllTextAsync(headers) : "";
        Assert.True(received.StartsWith("HTTP/", StringComparison.Ordinal) && received.Contains(" 200", StringComparison.Ordinal),
            $"No response headers within 3 s of an idle watch (curl exit {curl.ExitCode}). Headers received:\n{received}");
    }

    private static bool HasRow(string output, string name, string? cell = null) =>
        output.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Any(c => c.Length > 0 && c[0] == name && (cell is null || c.Contains(cell)));

    private static int Count(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
