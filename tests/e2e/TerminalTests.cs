using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// Containers with <c>tty: true</c> through the real kubectl on a terminal of its own: <c>kubectl run -it</c> and
/// <c>kubectl attach -it</c> reach a shell on a pseudo-terminal of the client's size.
/// </summary>
[Collection(GantryCollection.Name)]
public sealed class TerminalTests(GantryFixture fixture, ITestOutputHelper output) : PodTest(fixture, output)
{
    private static readonly KubectlOptions OnTerminal = new() { Timeout = TimeSpan.FromSeconds(90) };

    [Fact]
    public async Task Kubectl_run_it_runs_the_command_on_a_terminal_of_the_clients_size()
    {
        var ns = await CreateNamespaceAsync("tty-run");

        // The size comes with the attach, after the container started, and kubectl sends it one row and column larger
        // first (to make a re-attached screen redraw): the command waits for the final size, as a shell's prompt would.
        var ran = Check.Succeeded(await Kubectl.RunOnTerminalAsync(
            ["run", "-it", "--rm", "t", "-n", ns, "--image=busybox", "--restart=Never", "--",
             "sh", "-c", $"{WaitForSize("45 123")}; tty; stty size; sleep 1"],
            OnTerminal, columns: 123, rows: 45));

        Check.StdoutContains(ran, "/dev/pts/0\r\n45 123\r\n");
        Check.StdoutContains(ran, "pod \"t\" deleted");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("process")]
    public async Task Kubectl_attach_it_reaches_the_shell_of_a_tty_container_whose_output_kubectl_logs_shows(string? runtimeClass)
    {
        var ns = await CreateNamespaceAsync("tty-attach-" + (runtimeClass ?? "oci"));
        await RunPodAsync(ns, "shell", runtimeClass, "exec sh", container: new { stdin = true, tty = true }, spec: new { restartPolicy = "Never" });

        var attached = Check.Succeeded(await Kubectl.RunOnTerminalAsync(
            ["attach", "-it", "shell", "-n", ns],
            OnTerminal with { Stdin = $"{WaitForSize("24 80")}; echo hi-$((1+2)) $(stty size)\rexit\r" }, columns: 80, rows: 24));

        Check.StdoutContains(attached, "hi-3 24 80\r\n");
        await WaitForPhaseAsync(ns, "shell", "Succeeded");
        Check.StdoutContains(await Ok("logs", "shell", "-n", ns), "hi-3 24 80");
        await Ok("delete", "pod", "shell", "-n", ns, "--timeout=30s");
    }

    /// <summary>
    /// A shell loop that waits, five seconds at most, for the terminal to have <paramref name="rowsAndColumns"/> (as
    /// <c>stty size</c> prints them): the resizes kubectl sends travel beside the input, so a command typed at once may
    /// run before they are applied.
    /// </summary>
    private static string WaitForSize(string rowsAndColumns) =>
        $"i=0; until [ \"$(stty size)\" = '{rowsAndColumns}' ] || [ $i -ge 50 ]; do sleep 0.1; i=$((i+1)); done";
}
