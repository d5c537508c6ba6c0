using Gantry.Agent.Streaming;
using Xunit;

namespace Gantry.Tests.Streaming;

public sealed class TerminalResizesTests
{
    private static readonly ExecRequest Request = new(null, ["sh"], Stdin: true, Stdout: true, Stderr: false, Tty: true);

    private static FakeExecProcess Process() => new(Request, _ => Task.FromResult(0));

    [Fact]
    public async Task The_first_size_is_the_one_the_command_starts_at()
    {
        var terminal = new TerminalResizes();
        await terminal.ResizeAsync(new TerminalSize(100, 30), CancellationToken.None);

        Assert.Equal(new TerminalSize(100, 30), await terminal.FirstAsync(TimeSpan.FromSeconds(10), CancellationToken.None));
    }

    [Fact]
    public async Task Without_a_size_in_time_the_command_starts_without_one() =>
        Assert.Null(await new TerminalResizes().FirstAsync(TimeSpan.FromMilliseconds(10), CancellationToken.None));

    [Fact]
    public async Task A_size_that_came_after_the_start_was_read_reaches_the_command_when_it_runs()
    {
        var terminal = new TerminalResizes();
        var startedAt = await terminal.FirstAsync(TimeSpan.FromMilliseconds(10), CancellationToken.None);
        await terminal.ResizeAsync(new TerminalSize(80, 24), CancellationToken.None);
        var process = Process();

        await terminal.AttachAsync(process, startedAt, CancellationToken.None);
        await terminal.ResizeAsync(new TerminalSize(120, 40), CancellationToken.None);

        Assert.Equal([new TerminalSize(80, 24), new TerminalSize(120, 40)], process.Resizes);
    }

    [Fact]
    public async Task The_size_the_command_started_at_is_not_sent_again()
    {
        var terminal = new TerminalResizes();
        await terminal.ResizeAsync(new TerminalSize(100, 30), CancellationToken.None);
        var startedAt = await terminal.FirstAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        var process = Process();

        await terminal.AttachAsync(process, startedAt, CancellationToken.None);

        Assert.Empty(process.Resizes);
    }
}
