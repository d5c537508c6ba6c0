using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// The node agent of <c>gantry up</c>: its node is Ready, and pods bound to it run as real OCI
/// containers (busybox, with runc) and real processes, with logs, exec and port-forward through
/// the API server. Pods name their node, as there is no scheduler yet.
/// </summary>
[Collection(GantryCollection.Name)]
public sealed class NodeAgentTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(60);

    private static readonly string[] SleepLong = ["sleep", "3600"];

    private async Task<string> NodeNameAsync() =>
        (await Ok("get", "nodes", "-o", "jsonpath={.items[0].metadata.name}")).Stdout.Trim();

    private async Task RunPodAsync(string ns, string name, string? runtimeClass, string script)
    {
        var node = await NodeNameAsync();
        await CreateObjectAsync(ns, new
        {
            apiVersion = "v1",
            kind = "Pod",
            metadata = new { name },
            spec = new
            {
                nodeName = node,
                runtimeClassName = runtimeClass,
                terminationGracePeriodSeconds = 2,
                containers = new[] { new { name = "main", image = "busybox", command = new[] { "sh", "-c", script } } },
            },
        });
        await Ok(new KubectlOptions { Timeout = StartPatience + TimeSpan.FromSeconds(10) },
            "wait", "--for=jsonpath={.status.phase}=Running", $"pod/{name}", "-n", ns, $"--timeout={(int)StartPatience.TotalSeconds}s");
    }

    [Fact]
    public async Task The_node_registers_Ready_with_a_lease()
    {
        var node = await NodeNameAsync();
        Assert.Equal("True", (await Ok("get", "node", node, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")).Stdout.Trim());
        Assert.Equal(node, (await Ok("get", "lease", node, "-n", "kube-node-lease", "-o", "jsonpath={.spec.holderIdentity}")).Stdout.Trim());
    }

    [Fact]
    public async Task The_node_proxy_reaches_the_agent_as_kubectl_get_raw_asks_it()
    {
        var node = await NodeNameAsync();

        Check.Equal("ok", (await Ok("get", "--raw", $"/api/v1/nodes/{node}/proxy/healthz")).Stdout.Trim(), "the agent's health");
        Check.StdoutContains(await Ok("get", "--raw", $"/api/v1/nodes/{node}/proxy/stats/summary"), $"\"nodeName\":\"{node}\"");
        Check.StdoutContains(await Ok("get", "--raw", $"/api/v1/nodes/{node}/proxy/metrics/resource"), "# TYPE node_cpu_usage_seconds_total counter");
        Check.StderrContains(await Fails("get", "--raw", $"/api/v1/nodes/{node}/proxy/no-such-endpoint"), "NotFound");
    }

    [Fact]
    public async Task A_busybox_pod_runs_in_a_container_and_its_logs_show_its_output()
    {
        var ns = await CreateNamespaceAsync("agent-oci");
        await RunPodAsync(ns, "bb", null, "echo hello from busybox; sleep 3600");

        await Eventually.Until(() => Run("logs", "bb", "-n", ns), r => r.Stdout.Contains("hello from busybox", StringComparison.Ordinal),
            Patience, "the busybox pod's log");
        Assert.Equal("docker.io/library/busybox:latest",
            (await Ok("get", "pod", "bb", "-n", ns, "-o", "jsonpath={.status.containerStatuses[0].image}")).Stdout.Trim());
        await Ok("delete", "pod", "bb", "-n", ns, "--timeout=30s");
    }

    [Fact]
    public async Task Exec_of_a_command_a_busybox_container_lacks_is_an_internal_error_not_an_exit_code()
    {
        var ns = await CreateNamespaceAsync("agent-exec");
        await RunPodAsync(ns, "bb", null, "sleep 3600");
        await Ok("wait", "--for=condition=Ready", "pod/bb", "-n", ns, "--timeout=60s");

        var failed = await Run("exec", "bb", "-n", ns, "--", "no-such-command");

        Assert.Equal(1, failed.ExitCode);
        Assert.StartsWith(
            "error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec",
            failed.Stderr,
            StringComparison.Ordinal);
        Assert.Contains("exec: \"no-such-command\": executable file not found in $PATH: unknown", failed.Stderr, StringComparison.Ordinal);
        await Ok("delete", "pod", "bb", "-n", ns, "--timeout=30s");
    }

    [Fact]
    public async Task Exec_of_a_command_a_process_pod_lacks_is_an_internal_error_not_an_exit_code()
    {
        var ns = await CreateNamespaceAsync("agent-process-exec");
        await RunPodAsync(ns, "proc", "process", "sleep 3600");
        await Ok("wait", "--for=condition=Ready", "pod/proc", "-n", ns, "--timeout=60s");

        var missing = await Run("exec", "proc", "-n", ns, "--", "no-such-command");
        var denied = await Run("exec", "proc", "-n", ns, "--", "/proc/version");
        var exited = await Run("exec", "proc", "-n", ns, "--", "sh", "-c", "exit 127");

        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith(
            "error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec",
            missing.Stderr,
            StringComparison.Ordinal);
        Assert.Contains("exec: \"no-such-command\": executable file not found in $PATH: unknown", missing.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, denied.ExitCode);
        Assert.Contains("exec: \"/proc/version\": permission denied: unknown", denied.Stderr, StringComparison.Ordinal);
        Assert.Equal(127, exited.ExitCode);
        await Ok("delete", "pod", "proc", "-n", ns, "--timeout=30s");
    }

    [Fact]
    public async Task A_process_pod_with_a_volume_on_a_path_the_host_lacks_waits_with_the_path_named()
    {
        var ns = await CreateNamespaceAsync("agent-mountpoint");
        await CreateObjectAsync(ns, new
        {
            apiVersion = "v1",
            kind = "Pod",
            metadata = new { name = "nowhere" },
            spec = new
            {
                nodeName = await NodeNameAsync(),
                runtimeClassName = "process",
                containers = new[]
                {
                    new
                    {
                        name = "main",
                        image = "none",
                        command = SleepLong,
                        volumeMounts = new[] { new { name = "scratch", mountPath = "/gantry-e2e-missing" } },
                    },
                },
                volumes = new[] { new { name = "scratch", emptyDir = new { } } },
            },
        });

        var waiting = await Eventually.Until(
            () => Run("get", "pod", "nowhere", "-n", ns, "-o", "jsonpath={.status.containerStatuses[0].state.waiting.reason}: {.status.containerStatuses[0].state.waiting.message}"),
            r => r.Stdout.StartsWith("CreateContainerError", StringComparison.Ordinal), Patience, "the container waiting");
        Assert.StartsWith("CreateContainerError: mount point /gantry-e2e-missing does not exist on the host", waiting.Stdout, StringComparison.Ordinal);
        await Ok("delete", "pod", "nowhere", "-n", ns, "--timeout=30s");
    }

    [Fact]
    public async Task A_process_pod_runs_and_exec_returns_the_exit_code()
    {
        var ns = await CreateNamespaceAsync("agent-process");
        await RunPodAsync(ns, "proc", "process", "echo hello from a process; sleep 3600");

        await Eventually.Until(() => Run("logs", "proc", "-n", ns), r => r.Stdout.Contains("hello from a process", StringComparison.Ordinal),
            Patience, "the process pod's log");
        Assert.Equal("in-pod", (await Ok("exec", "proc", "-n", ns, "--", "echo", "in-pod")).Stdout.Trim());
        var failed = await Run("exec", "proc", "-n", ns, "--", "sh", "-c", "exit 3");
        Assert.Equal(3, failed.ExitCode);
        await Ok("delete", "pod", "proc", "-n", ns, "--timeout=30s");
    }
}
