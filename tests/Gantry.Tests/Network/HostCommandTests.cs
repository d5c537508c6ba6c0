using System.Diagnostics;
using Gantry.Agent.Network;
using Xunit;

namespace Gantry.Tests.Network;

public sealed class HostCommandTests
{
    [Fact]
    public async Task A_failing_command_is_reported_with_its_command_line_exit_code_and_stderr()
    {
        var command = new CommandLine("sh", "-c", "echo 'Cannot find device \"gantry9\"' >&2; exit 3");

        var error = await Assert.ThrowsAsync<NetworkCommandException>(
            () => HostCommand.RunCheckedAsync(command, TimeSpan.FromSeconds(10), CancellationToken.None));

        Assert.Equal("`sh -c 'echo 'Cannot find device \"gantry9\"' >&2; exit 3'` failed with exit code 3: Cannot find device \"gantry9\"", error.Message);
        Assert.Equal(3, error.ExitCode);
        Assert.Equal("Cannot find device \"gantry9\"", error.Stderr);
    }

    [Fact]
    public async Task A_command_that_outlives_its_timeout_is_killed_and_named()
    {
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<NetworkCommandException>(
            () => HostCommand.RunAsync(new CommandLine("sleep", "30"), TimeSpan.FromMilliseconds(200), CancellationToken.None));

        Assert.Equal("`sleep 30` did not finish within 0.2s and was killed", error.Message);
        Assert.Null(error.ExitCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Cancelling_kills_the_command_and_propagates_as_cancellation()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => HostCommand.RunAsync(new CommandLine("sleep", "30"), TimeSpan.FromSeconds(30), cancel.Token));
    }

    [Fact]
    public async Task Stdin_and_environment_reach_the_command()
    {
        var output = await HostCommand.RunAsync(
            new CommandLine("sh", "-c", "printf '%s:' \"$GREETING\"; cat"),
            TimeSpan.FromSeconds(10),
            CancellationToken.None,
            stdin: "from stdin",
            environment: new Dictionary<string, string> { ["GREETING"] = "hello" });

        Assert.Equal(new CommandOutput(0, "hello:from stdin", ""), output);
    }

    [Fact]
    public async Task A_program_that_is_not_installed_is_reported_as_such()
    {
        var error = await Assert.ThrowsAsync<NetworkCommandException>(
            () => HostCommand.RunAsync(new CommandLine("gantry-no-such-tool"), TimeSpan.FromSeconds(10), CancellationToken.None));

        Assert.StartsWith("cannot start `gantry-no-such-tool`", error.Message, StringComparison.Ordinal);
    }
}
