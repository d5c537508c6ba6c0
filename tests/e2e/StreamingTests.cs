using System.Security.Cryptography;
using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// The streaming verbs through the API server to the agent, with the real kubectl: <c>cp</c> (tar
/// over exec with stdin, both ways), <c>attach</c> and <c>port-forward</c>, for OCI (busybox) and
/// process pods.
/// </summary>
[Collection(GantryCollection.Name)]
public sealed class StreamingTests(GantryFixture fixture, ITestOutputHelper output) : PodTest(fixture, output)
{
    [Theory]
    [InlineData(null)]
    [InlineData("process")]
    public async Task Kubectl_cp_copies_binary_files_and_directories_both_ways(string? runtimeClass)
    {
        var ns = await CreateNamespaceAsync("cp-" + (runtimeClass ?? "oci"));
        await RunPodAsync(ns, "cp", runtimeClass, "sleep 3600");
        // Process pods share the host's filesystem: a directory of their own keeps runs apart.
        var remote = "/tmp/gantry-e2e-cp-" + Guid.NewGuid().ToString("N")[..10];
        await Ok("exec", "cp", "-n", ns, "--", "mkdir", "-p", remote);
        try
        {
            var payload = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
            var local = TempFile("payload.bin");
            await File.WriteAllBytesAsync(local, payload);

            await Ok(new KubectlOptions { Timeout = TimeSpan.FromSeconds(60) }, "cp", local, $"{ns}/cp:{remote}/payload.bin");
            var inPod = await Ok("exec", "cp", "-n", ns, "--", "sha256sum", $"{remote}/payload.bin");
            Assert.StartsWith(Convert.ToHexStringLower(SHA256.HashData(payload)), inPod.Stdout.Trim(), StringComparison.Ordinal);

            var back = TempFile("back.bin");
            await Ok(new KubectlOptions { Timeout = TimeSpan.FromSeconds(60) }, "cp", $"{ns}/cp:{remote}/payload.bin", back);
            Assert.Equal(payload, await File.ReadAllBytesAsync(back));

            var tree = Path.GetDirectoryName(TempFile("x"))!;
            Directory.CreateDirectory(Path.Combine(tree, "dir", "nested"));
            await File.WriteAllTextAsync(Path.Combine(tree, "dir", "nested", "note.txt"), "nested file\n");
            await Ok("cp", Path.Combine(tree, "dir"), $"{ns}/cp:{remote}/dir");
            Assert.Equal("nested file", (await Ok("exec", "cp", "-n", ns, "--", "cat", $"{remote}/dir/nested/note.txt")).Stdout.Trim());

            var copied = Path.Combine(Path.GetDirectoryName(TempFile("x"))!, "copied");
            await Ok("cp", $"{ns}/cp:{remote}/dir", copied);
            Assert.Equal("nested file\n", await File.ReadAllTextAsync(Path.Combine(copied, "nested", "note.txt")));
        }
        finally
        {
            await Run("exec", "cp", "-n", ns, "--", "rm", "-rf", remote);
            await Ok("delete", "pod", "cp", "-n", ns, "--timeout=30s");
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("process")]
    public async Task Attach_with_stdin_once_feeds_the_container_which_sees_end_of_input_when_the_attach_ends(string? runtimeClass)
    {
        var ns = await CreateNamespaceAsync("attach-once-" + (runtimeClass ?? "oci"));
        await RunPodAsync(ns, "once", runtimeClass, "echo started; while read l; do echo got:$l; done; echo end-of-input",
            container: new { stdin = true, stdinOnce = true }, spec: new { restartPolicy = "Never" });
        await WaitForLogAsync(ns, "once", "started");

        var attached = await Ok(new KubectlOptions { Stdin = "one\ntwo\n" }, "attach", "-i", "once", "-n", ns);

        Check.StdoutContains(attached, "got:one\ngot:two\nend-of-input");
        Check.StdoutLacks(attached, "started");
        await Eventually.Until(() => ContainerStatusAsync(ns, "once"),
            s => s.ValueKind != System.Text.Json.JsonValueKind.Undefined && s.GetProperty("state").TryGetProperty("terminated", out _),
            Patience, "the container to exit after its stdin ended");
        var terminated = (await ContainerStatusAsync(ns, "once")).GetProperty("state").GetProperty("terminated");
        Assert.Equal(("Completed", 0), (terminated.GetProperty("reason").GetString(), terminated.GetProperty("exitCode").GetInt32()));
        await Ok("delete", "pod", "once", "-n", ns, "--timeout=30s");
    }

    [Fact]
    public async Task Attach_with_stdin_leaves_the_containers_stdin_open_for_the_next_attach()
    {
        var ns = await CreateNamespaceAsync("attach-stdin");
        await RunPodAsync(ns, "reader", "process", "while read l; do echo got:$l; done; echo end-of-input; sleep 3600", container: new { stdin = true });

        await Ok(new KubectlOptions { Stdin = "first\n" }, "attach", "-i", "reader", "-n", ns);
        await WaitForLogAsync(ns, "reader", "got:first");
        await Ok(new KubectlOptions { Stdin = "second\n" }, "attach", "-i", "reader", "-n", ns);
        await WaitForLogAsync(ns, "reader", "got:second");

        Check.StdoutLacks(await Ok("logs", "reader", "-n", ns), "end-of-input");
        Check.Equal("0", await JsonPath(ns, "pod/reader", "{.status.containerStatuses[0].restartCount}"), "restart count");
        await Ok("delete", "pod", "reader", "-n", ns, "--timeout=30s");
    }

    [Fact]
    public async Task Attach_without_stdin_streams_the_containers_output_from_now_on()
    {
        var ns = await CreateNamespaceAsync("attach-out");
        await RunPodAsync(ns, "ticker", null, "i=0; while true; do echo tick-$i; i=$((i+1)); sleep 0.2; done");
        await WaitForLogAsync(ns, "ticker", "tick-5\n");

        await using (var attach = Kubectl.Start(["attach", "ticker", "-n", ns]))
        {
            await attach.WaitForStdoutAsync(o => o.Split('\n').Count(l => l.StartsWith("tick-", StringComparison.Ordinal)) >= 3, Patience, "three ticks through attach");
            var ticks = attach.Stdout.Split('\n').Where(l => l.StartsWith("tick-", StringComparison.Ordinal)).ToList();
            Assert.DoesNotContain("tick-0", ticks);
            Assert.DoesNotContain("tick-5", ticks);
            Assert.False(attach.HasExited);
        }

        Check.Equal("Running", await JsonPath(ns, "pod/ticker", "{.status.phase}"), "the pod's phase after the attach");
        await Ok("delete", "pod", "ticker", "-n", ns, "--timeout=30s");
    }

    [Fact]
    public async Task Port_forward_reaches_an_http_server_in_a_busybox_pod()
    {
        var ns = await CreateNamespaceAsync("port-forward");
        await RunPodAsync(ns, "web", null, "mkdir -p /www && echo hello-from-httpd > /www/index.html && exec httpd -f -p 8080 -h /www");
        await WaitForHttpAsync(ns, "web", 8080);
        var port = GantryFixture.FreeTcpPort();

        await using (var forward = Kubectl.Start(["port-forward", "pod/web", "-n", ns, $"{port}:8080"]))
        {
            await forward.WaitForStdoutAsync(o => o.Contains($"Forwarding from 127.0.0.1:{port}", StringComparison.Ordinal), Patience, "port-forward to listen");
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal("hello-from-httpd\n", await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/index.html")));
            }
        }

        await Ok("delete", "pod", "web", "-n", ns, "--timeout=30s");
    }
}
