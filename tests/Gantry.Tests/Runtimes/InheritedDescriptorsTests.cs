using System.Runtime.InteropServices;
using Gantry.Agent.Runtimes;
using Xunit;

namespace Gantry.Tests.Runtimes;

public sealed class InheritedDescriptorsTests
{
    private const int GetDescriptorFlags = 1;
    private const int CloseOnExec = 1;

    [Fact]
    public void An_inheritable_descriptor_is_marked_close_on_exec()
    {
        var ends = new int[2];
        Assert.Equal(0, Pipe(ends));
        try
        {
            Assert.Equal(0, Fcntl(ends[0], GetDescriptorFlags, 0) & CloseOnExec);

            InheritedDescriptors.MarkCloseOnExec();

            Assert.Equal(CloseOnExec, Fcntl(ends[0], GetDescriptorFlags, 0) & CloseOnExec);
            Assert.Equal(CloseOnExec, Fcntl(ends[1], GetDescriptorFlags, 0) & CloseOnExec);
        }
        finally
        {
            _ = Close(ends[0]);
            _ = Close(ends[1]);
        }
    }

    [Fact]
    public void Standard_streams_stay_inheritable()
    {
        InheritedDescriptors.MarkCloseOnExec();

        foreach (var fd in new[] { 0, 1, 2 })
        {
            var flags = Fcntl(fd, GetDescriptorFlags, 0);
            Assert.True(flags < 0 || (flags & CloseOnExec) == 0, $"descriptor {fd} was marked close-on-exec");
        }
    }

    [DllImport("libc", EntryPoint = "pipe")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Pipe([Out] int[] ends);

    [DllImport("libc", EntryPoint = "fcntl")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Fcntl(int fd, int command, int argument);

    [DllImport("libc", EntryPoint = "close")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);
}
