using System.Diagnostics;
using Gantry.Agent;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Gantry.IntegrationTests;

public sealed class VolatileStateTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), $"gantry-volatile-{Guid.NewGuid():N}");

    public void Dispose()
    {
        foreach (var directory in VolatileState.Directories(_state).Where(Directory.Exists).Where(VolatileState.IsInMemory))
        {
            Unmount(directory);
        }

        Directory.Delete(_state, recursive: true);
    }

    [Fact]
    public void A_new_state_directory_gets_a_tmpfs_on_each_volatile_directory()
    {
        VolatileState.Mount(_state, NullLogger.Instance);

        Assert.All(VolatileState.Directories(_state), d => Assert.True(VolatileState.IsInMemory(d), $"{d} is not on a tmpfs"));
        Assert.False(VolatileState.IsInMemory(_state));
    }

    [Fact]
    public void An_agent_started_again_keeps_the_tmpfs_and_what_its_pods_left_there()
    {
        VolatileState.Mount(_state, NullLogger.Instance);
        var record = Path.Combine(VolatileState.Directories(_state)[0], "pod.json");
        File.WriteAllText(record, "{}");

        VolatileState.Mount(_state, NullLogger.Instance);

        Assert.True(File.Exists(record));
        Assert.Equal(1, File.ReadLines("/proc/self/mountinfo").Count(l => l.Split(' ')[4] == VolatileState.Directories(_state)[0]));
    }

    [Fact]
    public void A_directory_that_already_holds_state_on_disk_stays_on_disk()
    {
        var network = VolatileState.Directories(_state)[0];
        Directory.CreateDirectory(network);
        File.WriteAllText(Path.Combine(network, "pod.json"), "{}");

        VolatileState.Mount(_state, NullLogger.Instance);

        Assert.False(VolatileState.IsInMemory(network));
        Assert.True(File.Exists(Path.Combine(network, "pod.json")));
        Assert.True(VolatileState.IsInMemory(VolatileState.Directories(_state)[1]));
    }

    private static void Unmount(string directory)
    {
        using var umount = Process.Start("umount", [directory]);
        umount.WaitForExit();
    }
}
