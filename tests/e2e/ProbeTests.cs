using System.Text.Json;
using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// Container probes run by the node agent with kubelet's semantics: a failing liveness probe gets
/// the container killed and restarted, a readiness probe decides the container's and the pod's
/// readiness, and a startup probe holds the others back until it passes. Pods name their node.
/// </summary>
[Collection(GantryCollection.Name)]
[Trait(Matrix.Trait, Matrix.DefaultKubectlOnly)]
public sealed class ProbeTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(60);
    private static readonly string[] SleepForever = ["sh", "-c", "sleep 3600"];
    private static readonly string[] EchoThenSleep = ["sh", "-c", "echo started; sleep 3600"];
    private static readonly string[] NeverAlive = ["sh", "-c", "echo not alive; exit 1"];
    private static readonly string[] TestReadyFile = ["test", "-f", "/tmp/ready"];
    private static readonly string[] ServeAfterTwoSeconds = ["sh", "-c", "mkdir -p /www && echo hello > /www/index.html && sleep 2 && exec httpd -f -p 8080 -h /www"];

    private async Task CreatePodAsync(string ns, string name, object container)
    {
        var node = (await Ok("get", "nodes", "-o", "jsonpath={.items[0].metadata.name}")).Stdout.Trim();
        await CreateObjectAsync(ns, new
        {
            apiVersion = "v1",
            kind = "Pod",
            metadata = new { name },
            spec = new { nodeName = node, terminationGracePeriodSeconds = 2, containers = new[] { container } },
        });
    }

    private async Task WaitAsync(string ns, string name, string condition) =>
        await Ok(new KubectlOptions { Timeout = StartPatience + TimeSpan.FromSeconds(10) },
            "wait", condition, $"pod/{name}", "-n", ns, $"--timeout={(int)StartPatience.TotalSeconds}s");

    private async Task<JsonElement> ContainerStatusAsync(string ns, string name) =>
        (await GetJson("pod", name, "-n", ns)).GetProperty("status").GetProperty("containerStatuses")[0];

    private async Task<string> ReadyConditionAsync(string ns, string name) =>
        await JsonPath(ns, $"pod/{name}", "{.status.conditions[?(@.type==\"Ready\")].status}/{.status.conditions[?(@.type==\"Ready\")].message}");

    [Fact]
    public async Task A_failing_liveness_probe_restarts_the_container_and_the_restart_count_rises()
    {
        var ns = await CreateNamespaceAsync("probe-liveness");
        await CreatePodAsync(ns, "unhealthy", new
        {
            name = "main",
            image = "busybox",
            command = EchoThenSleep,
            livenessProbe = new { exec = new { command = NeverAlive }, periodSeconds = 1, failureThreshold = 2 },
        });

        await Eventually.Until(() => GetJson("pod", "unhealthy", "-n", ns),
            pod => pod.GetProperty("status").TryGetProperty("containerStatuses", out var statuses)
                && statuses[0].GetProperty("restartCount").GetInt32() >= 1 && statuses[0].GetProperty("state").TryGetProperty("running", out _),
            StartPatience + TimeSpan.FromSeconds(30), "a restart after the liveness probe failed", pod => pod.GetProperty("status").ToString());
        var status = await ContainerStatusAsync(ns, "unhealthy");

        var terminated = status.GetProperty("lastState").GetProperty("terminated");
        Assert.Equal("Error", terminated.GetProperty("reason").GetString());
        Assert.Equal(137, terminated.GetProperty("exitCode").GetInt32());
        await Eventually.Until(() => Run("get", "events", "-n", ns, "-o", "jsonpath={range .items[*]}{.reason}: {.message}{\"\\n\"}{end}"),
            r => r.Stdout.Contains("Unhealthy: Liveness probe failed: not alive", StringComparison.Ordinal)
                && r.Stdout.Contains("Killing: Container main failed liveness probe, will be restarted", StringComparison.Ordinal),
            Patience, "the Unhealthy and Killing events", r => r.Stdout);
        await Ok("delete", "pod", "unhealthy", "-n", ns, "--timeout=30s");
    }

    [Fact]
    public async Task A_pod_is_Ready_only_while_its_readiness_probe_passes()
    {
        var ns = await CreateNamespaceAsync("probe-readiness");
        await CreatePodAsync(ns, "gated", new
        {
            name = "main",
            image = "busybox",
            command = SleepForever,
            readinessProbe = new { exec = new { command = TestReadyFile }, periodSeconds = 1, failureThreshold = 1 },
        });
        await WaitAsync(ns, "gated", "--for=jsonpath={.status.phase}=Running");

        // The probe has run and failed once the Unhealthy event is there; the pod must not be Ready.
        await Eventually.Until(() => Run("get", "events", "-n", ns, "-o", "jsonpath={.items[*].reason}"),
            r => r.Stdout.Contains("Unhealthy", StringComparison.Ordinal), Patience, "a failed readiness probe", r => r.Stdout);
        Assert.Equal("False/containers with unready status: [main]", await ReadyConditionAsync(ns, "gated"));
        var before = await ContainerStatusAsync(ns, "gated");
        Assert.False(before.GetProperty("ready").GetBoolean());
        Assert.True(before.GetProperty("started").GetBoolean());

        await Ok("exec", "gated", "-n", ns, "--", "touch", "/tmp/ready");
        await WaitAsync(ns, "gated", "--for=condition=Ready");
        Assert.True((await ContainerStatusAsync(ns, "gated")).GetProperty("ready").GetBoolean());
        Assert.Equal("True", await JsonPath(ns, "pod/gated", "{.status.conditions[?(@.type==\"ContainersReady\")].status}"));

        await Ok("exec", "gated", "-n", ns, "--", "rm", "/tmp/ready");
        await WaitAsync(ns, "gated", "--for=condition=Ready=false");
        Assert.Equal(0, (await ContainerStatusAsync(ns, "gated")).GetProperty("restartCount").GetInt32());
        await Ok("delete", "pod", "gated", "-n", ns, "--timeout=30s");
    }

    [Fact]
    public async Task A_web_server_becomes_Ready_through_tcp_startup_and_http_readiness_probes_on_the_pod_ip()
    {
        var ns = await CreateNamespaceAsync("probe-http");
        await CreatePodAsync(ns, "web", new
        {
            name = "web",
            image = "busybox",
            command = ServeAfterTwoSeconds,
            ports = new[] { new { name = "http", containerPort = 8080 } },
            startupProbe = new { tcpSocket = new { port = 8080 }, periodSeconds = 1, failureThreshold = 30 },
            readinessProbe = new { httpGet = new { path = "/index.html", port = "http" }, periodSeconds = 1 },
        });

        await WaitAsync(ns, "web", "--for=condition=Ready");

        var status = await ContainerStatusAsync(ns, "web");
        Assert.True(status.GetProperty("started").GetBoolean());
        Assert.True(status.GetProperty("ready").GetBoolean());
        Assert.Equal(0, status.GetProperty("restartCount").GetInt32());
        await Ok("delete", "pod", "web", "-n", ns, "--timeout=30s");
    }
}
