using Gantry.Agent.Runtimes;
using Xunit;

namespace Gantry.Tests.Runtimes;

public sealed class ContainerExitWatchTests : IDisposable
{
    private readonly string _path = Directory.CreateTempSubdirectory("gantry-exit-watch-").FullName;

    public void Dispose() => Directory.Delete(_path, recursive: true);

    [Fact]
    public async Task The_shim_recording_the_exit_wakes_the_watcher()
    {
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watch = new ContainerDirectory(_path).WatchExit(() => exited.TrySetResult());

        await File.WriteAllTextAsync(Path.Combine(_path, "started"), "1 2 3 4\n");
        await File.WriteAllTextAsync(Path.Combine(_path, "exit.tmp"), "0\n");
        Assert.False(exited.Task.IsCompleted);
        File.Move(Path.Combine(_path, "exit.tmp"), Path.Combine(_path, "exit"));

        await exited.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void An_exit_recorded_before_the_watch_is_reported_at_once()
    {
        File.WriteAllText(Path.Combine(_path, "exit"), "137\n");
        var calls = 0;

        using var watch = new ContainerDirectory(_path).WatchExit(() => Interlocked.Increment(ref calls));

        Assert.Equal(1, calls);
    }
}
