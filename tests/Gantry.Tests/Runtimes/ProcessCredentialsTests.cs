using Gantry.Agent.Runtimes.Processes;
using Xunit;

namespace Gantry.Tests.Runtimes;

public sealed class ProcessCredentialsTests
{
    [Fact]
    public void The_real_ids_and_the_groups_come_from_the_status_file()
    {
        var user = ProcessCredentials.Parse("Name:\tsh\nUmask:\t0022\nUid:\t1000\t1000\t1000\t1000\nGid:\t3000\t3000\t3000\t3000\nFDSize:\t64\nGroups:\t2000 3000 \n");

        Assert.Equal((1000L, 3000L), (user.Uid, user.Gid));
        Assert.Equal([2000L, 3000L], user.AdditionalGids);
    }

    [Fact]
    public void A_process_with_no_supplementary_groups_has_an_empty_list()
    {
        Assert.Empty(ProcessCredentials.Parse("Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nGroups:\t\n").AdditionalGids);
    }
}
