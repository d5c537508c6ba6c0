using System.Globalization;
using Gantry.Agent.Runtimes;
using Xunit;

namespace Gantry.Tests.Runtimes;

public sealed class SpawnedProgramTests
{
    // Signals 1 to 31, one bit each from the lowest.
    private const ulong StandardSignals = 0x7fffffff;

    [Fact]
    public async Task A_program_that_succeeds_reports_exit_code_zero_and_no_error()
    {
        var (exitCode, error) = await SpawnedProgram.RunAsync("/bin/sh", ["-c", "echo ignored; exit 0"]);

        Assert.Equal((0, ""), (exitCode, error));
    }

    [Fact]
    public async Task A_failing_program_reports_its_exit_code_and_what_it_wrote_to_standard_error()
    {
        var (exitCode, error) = await SpawnedProgram.RunAsync("/bin/sh", ["-c", "echo 'bad argument' >&2; exit 3"]);

        Assert.Equal((3, "bad argument\n"), (exitCode, error));
    }

    [Fact]
    public async Task A_program_killed_by_a_signal_reports_128_plus_the_signal()
    {
        var (exitCode, _) = await SpawnedProgram.RunAsync("/bin/sh", ["-c", "kill -KILL $$"]);

        Assert.Equal(137, exitCode);
    }

    [Fact]
    public async Task A_missing_program_cannot_be_started()
    {
        var error = await Assert.ThrowsAsync<IOException>(() => SpawnedProgram.RunAsync("/nonexistent/launcher", []));

        Assert.Contains("/nonexistent/launcher", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_program_starts_with_no_standard_signal_ignored_or_blocked_whatever_the_agent_ignores()
    {
        // .NET ignores SIGPIPE in this process; a workload started with it ignored would not die writing to a closed pipe.
        // Signals 32 and 33 are glibc's own, which every glibc program handles itself from its start. The program reads
        // its own status: a shell's would depend on the shell, and dash blocks every signal while it waits for a child.
        var (_, status) = await SpawnedProgram.RunAsync("/bin/sed", ["-n", "-e", "/^Sig\\(Ign\\|Blk\\)/w /dev/stderr", "-e", "$q1", "/proc/self/status"]);

        var masks = status.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':', 2))
            .ToDictionary(field => field[0], field => ulong.Parse(field[1].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        Assert.Equal((0UL, 0UL), (masks["SigIgn"] & StandardSignals, masks["SigBlk"] & StandardSignals));
    }

    [Fact]
    public async Task A_program_gets_the_agents_environment()
    {
        var (exitCode, error) = await SpawnedProgram.RunAsync("/bin/sh", ["-c", "test -n \"$PATH\" || { echo no PATH >&2; exit 1; }"]);

        Assert.True(exitCode == 0, error);
    }
}
