using Gantry.Agent.Runtimes;
using Xunit;

namespace Gantry.Tests.Runtimes;

public sealed class ContainerLogsTests : IDisposable
{
    private readonly string _logs = Directory.CreateTempSubdirectory("gantry-logs-").FullName;

    private readonly ContainerHandle _handle = new("c1", "oci", "u-1", "web-1", "shop", "app", DateTimeOffset.UnixEpoch);

    public void Dispose() => Directory.Delete(_logs, recursive: true);

    [Fact]
    public void Deleting_a_log_removes_its_directories_once_empty()
    {
        var path = ContainerLogs.PathFor(_logs, _handle);
        ContainerLogs.Create(path);

        ContainerLogs.Delete(_logs, path);

        Assert.Empty(Directory.EnumerateFileSystemEntries(_logs));
    }

    [Fact]
    public void Deleting_a_log_that_a_failed_start_never_created_is_a_no_op()
    {
        ContainerLogs.Delete(_logs, ContainerLogs.PathFor(_logs, _handle));

        Assert.Empty(Directory.EnumerateFileSystemEntries(_logs));
    }
}
