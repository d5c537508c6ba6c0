using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// Workloads never depend on the agent: <c>gantry up</c> SIGKILLed and started again on the same data
/// directory finds its pods running, as the same processes, with their restart counts unchanged.
/// </summary>
[Collection(GantryCollection.Name)]
[Trait(Matrix.Trait, Matrix.DefaultKubectlOnly)]
public sealed class AgentRestartTests(GantryFixture fixture, ITestOutputHelper output) : PodTest(fixture, output)
{
    [Fact]
    public async Task Pods_keep_their_processes_and_restart_counts_when_gantry_is_SIGKILLed_and_restarted()
    {
        var ns = await CreateNamespaceAsync("agent-restart");
        var pods = new[] { ("oci", (string?)null), ("proc", "process") };
        const string script = "echo up; while true; do sleep 1; done";
        var commands = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (name, runtimeClass) in pods)
        {
            // A unique $0 finds the workload's main process from the host.
            commands[name] = ["sh", "-c", script, "gantry-e2e-" + Guid.NewGuid().ToString("N")[..12]];
            await CreatePodAsync(ns, name, runtimeClass, script, container: new { command = commands[name] });
        }

        foreach (var (name, _) in pods)
        {
            await WaitForPhaseAsync(ns, name, "Running");
        }

        var before = new Dictionary<string, (IReadOnlyList<(int, long)> Processes, string ContainerId)>(StringComparer.Ordinal);
        foreach (var (name, _) in pods)
        {
            var processes = HostProcessesRunning(commands[name]);
            Assert.Single(processes);
            before[name] = (processes, await JsonPath(ns, $"pod/{name}", "{.status.containerStatuses[0].containerID}"));
            Check.Equal("0", await JsonPath(ns, $"pod/{name}", "{.status.containerStatuses[0].restartCount}"), $"{name}'s restart count before");
        }

        Output.WriteLine("=== gantry output before SIGKILL ===");
        Output.WriteLine(await Fixture.KillAndRestartAsync());

        var node = await NodeNameAsync();
        await Eventually.Until(() => Run("get", "node", node, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"),
            r => r.Stdout.Trim() == "True", Patience, "the node to be Ready after the restart");
        foreach (var (name, _) in pods)
        {
            // Known issue: the first exec after the restart has been seen to get no answer (1 run in 3);
            // the next one works. Each try is short, and every try is in the test output.
            await Eventually.Until(
                () => Kubectl.RunAsync(["exec", "-v=6", name, "-n", ns, "--", "echo", "in-" + name], new KubectlOptions { Timeout = TimeSpan.FromSeconds(10) }),
                r => r.Succeeded && r.Stdout.Trim() == "in-" + name, TimeSpan.FromSeconds(45), $"exec into {name} after the restart");
            Check.StdoutContains(await Ok("logs", name, "-n", ns), "up");
        }

        // The new agent has synced every pod by now (exec went through it); a few rounds of status
        // reports must not show a restart either.
        for (var round = 0; round < 3; round++)
        {
            foreach (var (name, _) in pods)
            {
                Assert.Equal(before[name].Processes, HostProcessesRunning(commands[name]));
                Check.Equal("Running", await JsonPath(ns, $"pod/{name}", "{.status.phase}"), $"{name}'s phase after the restart");
                Check.Equal("0", await JsonPath(ns, $"pod/{name}", "{.status.containerStatuses[0].restartCount}"), $"{name}'s restart count after the restart");
                Check.Equal(before[name].ContainerId, await JsonPath(ns, $"pod/{name}", "{.status.containerStatuses[0].containerID}"), $"{name}'s container ID");
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        foreach (var (name, _) in pods)
        {
            await Ok("delete", "pod", name, "-n", ns, "--timeout=30s");
            Assert.Empty(HostProcessesRunning(commands[name]));
        }
    }
}
