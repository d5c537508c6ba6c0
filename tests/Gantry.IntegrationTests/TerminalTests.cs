using System.Text;
using Gantry.Agent.Runtimes;
using Gantry.Agent.Runtimes.Oci;
using Gantry.Agent.Runtimes.Processes;
using Xunit;

namespace Gantry.IntegrationTests;

/// <summary>Containers with <c>tty: true</c> in both runtimes: a terminal the shim holds, for <c>kubectl run -it</c> and <c>attach -t</c>.</summary>
public sealed class TerminalTests : IAsyncLifetime
{
    private readonly RuntimeHarness _harness = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _harness.DisposeAsync().AsTask();

    private IContainerRuntime Runtime(string name) => name == OciRuntime.RuntimeName ? _harness.Oci : _harness.Process;

    /// <summary>A runtime as a restarted agent makes it, over the same state.</summary>
    private IContainerRuntime FreshRuntime(string name) =>
        name == OciRuntime.RuntimeName
            ? new OciRuntime(_harness.Options, _harness.OciOptions, new PodSandboxes(_harness.Cgroups), _harness.Images)
            : new ProcessRuntime(_harness.Options, new PodSandboxes(_harness.Cgroups));

    private Task<ContainerHandle> StartAsync(string runtime, string script) =>
        _harness.StartAsync(Runtime(runtime), _harness.NewPod(), new ContainerSpec
        {
            Name = "tty",
            Image = runtime == OciRuntime.RuntimeName ? "busybox" : null,
            Command = ["sh", "-c", script],
            Stdin = true,
            Tty = true,
        });

    /// <summary>Reads the terminal until it has said <paramref name="text"/>; returns all it said.</summary>
    private async Task<string> ReadUntilAsync(Stream output, string text)
    {
        var said = new StringBuilder();
        var buffer = new byte[4096];
        while (!said.ToString().Contains(text, StringComparison.Ordinal))
        {
            var read = await output.ReadAsync(buffer, _harness.Ct);
            Assert.True(read > 0, $"the terminal ended before it said {text}: {said}");
            said.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return said.ToString();
    }

    [Theory]
    [InlineData(OciRuntime.RuntimeName)]
    [InlineData(ProcessRuntime.RuntimeName)]
    public async Task A_tty_container_runs_on_a_terminal_and_its_output_is_logged_as_stdout_with_crlf(string runtime)
    {
        var handle = await StartAsync(runtime, "tty; echo $TERM; echo oops >&2");

        var exited = await _harness.WaitForExitAsync(Runtime(runtime), handle);

        Assert.Equal(0, exited.ExitCode);
        var log = RuntimeHarness.LogText(Runtime(runtime).LogPath(handle));
        Assert.Matches("^/dev/pts/[0-9]+\r\nxterm\r\noops\r\n$", log);
        Assert.All(File.ReadAllLines(Runtime(runtime).LogPath(handle)), record => Assert.Equal("stdout", record.Split(' ')[1]));
    }

    [Theory]
    [InlineData(OciRuntime.RuntimeName)]
    [InlineData(ProcessRuntime.RuntimeName)]
    public async Task An_attach_gets_live_output_without_a_newline_writes_stdin_and_resizes_the_terminal(string runtime)
    {
        // The resize goes to the shim beside the input, not before it: the command looks for the size for up to 2 s, as a
        // shell's next prompt would (busybox's stty prints nothing to stdout for the 0-by-0 terminal before it).
        var handle = await StartAsync(
            runtime,
            "read line; for i in $(seq 40); do s=$(stty size 2>/dev/null); [ \"$s\" = '30 100' ] && break; sleep 0.05; done; echo \"$s\"; printf \"got $line> \"; sleep 30");
        await using var terminal = Assert.IsType<ContainerTerminal>(Runtime(runtime).OpenTerminal(handle));
        var stdin = Assert.IsType<StdinAttachment>(Runtime(runtime).OpenStdin(handle));

        await terminal.ResizeAsync(100, 30, _harness.Ct);
        await stdin.Writer.WriteAsync("hello\n"u8.ToArray(), _harness.Ct);
        var said = await ReadUntilAsync(terminal.Output, "got hello> ");

        // The terminal echoes the input, and says each line with \r\n.
        Assert.Contains("hello\r\n30 100\r\ngot hello> ", said, StringComparison.Ordinal);
        await stdin.Writer.DisposeAsync();
    }

    [Theory]
    [InlineData(OciRuntime.RuntimeName)]
    [InlineData(ProcessRuntime.RuntimeName)]
    public async Task A_fresh_runtime_attaches_to_the_terminal_a_previous_one_started(string runtime)
    {
        var handle = await StartAsync(runtime, "while read line; do echo \"got $line\"; done");
        var fresh = FreshRuntime(runtime);
        await fresh.AdoptAsync(_harness.Ct);

        await using var terminal = Assert.IsType<ContainerTerminal>(fresh.OpenTerminal(handle));
        var stdin = Assert.IsType<StdinAttachment>(fresh.OpenStdin(handle));
        await stdin.Writer.WriteAsync("again\n"u8.ToArray(), _harness.Ct);

        await ReadUntilAsync(terminal.Output, "got again\r\n");
        await stdin.Writer.DisposeAsync();
    }

    [Theory]
    [InlineData(OciRuntime.RuntimeName)]
    [InlineData(ProcessRuntime.RuntimeName)]
    public async Task The_end_of_an_attach_leaves_the_terminal_and_its_workload_running(string runtime)
    {
        var handle = await StartAsync(runtime, "read line; sleep 0.5; echo \"still here after $line\"; exit 7");
        await using var terminal = Assert.IsType<ContainerTerminal>(Runtime(runtime).OpenTerminal(handle));
        var stdin = Assert.IsType<StdinAttachment>(Runtime(runtime).OpenStdin(handle));

        await stdin.Writer.WriteAsync("hello\n"u8.ToArray(), _harness.Ct);
        await stdin.Writer.DisposeAsync();

        await ReadUntilAsync(terminal.Output, "still here after hello");
        Assert.Equal(7, (await _harness.WaitForExitAsync(Runtime(runtime), handle)).ExitCode);
    }
}
