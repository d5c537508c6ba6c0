using Gantry.Agent.Runtimes;
using Xunit;

namespace Gantry.Tests.Runtimes;

public sealed class ProcStatTests
{
    [Fact]
    public void State_parent_and_start_time_are_read_after_the_command_name_whatever_it_contains()
    {
        const string line = "4242 (we ird) (name)) S 17 4242 4242 0 -1 4194560 90 0 0 0 0 0 0 0 20 0 1 0 987654 2560000 200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";

        Assert.Equal(('S', 17, 987654L), ProcStat.Parse(line));
    }

    [Fact]
    public void A_truncated_line_is_not_a_process() => Assert.Null(ProcStat.Parse("4242 (x) S 1 2"));

    [Fact]
    public void The_current_process_is_alive_under_its_own_start_time_only()
    {
        var self = ProcStat.Read(Environment.ProcessId)!.Value;

        Assert.True(ProcStat.IsAlive(Environment.ProcessId, self.StartTime));
        Assert.False(ProcStat.IsAlive(Environment.ProcessId, self.StartTime + 1));
    }
}
