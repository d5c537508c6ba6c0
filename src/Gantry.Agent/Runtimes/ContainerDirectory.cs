using System.Globalization;
using System.Text.Json;
using Gantry.Agent.Cgroups;

namespace Gantry.Agent.Runtimes;

/// <summary>
/// One container's checkpoint directory, &lt;state&gt;/&lt;runtime&gt;/&lt;id&gt;/. The agent writes
/// checkpoint.json (and the stdin FIFO, for containers with stdin); the shim writes started, exit and oom (each by rename, so a reader sees a whole
/// file or none). For oci containers it is also the runc bundle (config.json, rootfs/, upper/,
/// work/, init.pid).
/// </summary>
internal sealed class ContainerDirectory(string path)
{
    public string Path => path;

    public string Id => System.IO.Path.GetFileName(path);

    public string CheckpointFile => Combine("checkpoint.json");

    public string InitPidFile => Combine("init.pid");

    public string ConfigFile => Combine("config.json");

    /// <summary>The FIFO a container started with stdin reads its standard input from (see <see cref="ContainerStdin"/>).</summary>
    public string StdinFifo => Combine("stdin");

    /// <summary>Present while a stdinOnce container's stdin has not been attached to yet.</summary>
    public string StdinOnceFile => Combine("stdin-once");

    /// <summary>Where runc sends a terminal container's pseudo-terminal master to the shim.</summary>
    public string ConsoleSocket => Combine("console.sock");

    /// <summary>Where the shim of a terminal container serves its live output to attaches (see <see cref="ContainerTerminal"/>).</summary>
    public string AttachSocket => Combine("attach.sock");

    /// <summary>The FIFO the shim of a terminal container reads window sizes from (see <see cref="ContainerTerminal"/>).</summary>
    public string ResizeFifo => Combine("resize");

    public async Task WriteCheckpointAsync(ContainerCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        var temporary = CheckpointFile + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(checkpoint, RuntimeJsonContext.Default.ContainerCheckpoint), cancellationToken);
        File.Move(temporary, CheckpointFile, overwrite: true);
    }

    public ContainerCheckpoint? ReadCheckpoint() =>
        ReadText("checkpoint.json") is { } text ? JsonSerializer.Deserialize(text, RuntimeJsonContext.Default.ContainerCheckpoint) : null;

    public ShimStarted? ReadStarted()
    {
        var fields = ReadText("started")?.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (fields is not { Length: 4 })
        {
            return null;
        }

        return new ShimStarted(
            int.Parse(fields[0], CultureInfo.InvariantCulture),
            long.Parse(fields[1], CultureInfo.InvariantCulture),
            int.Parse(fields[2], CultureInfo.InvariantCulture),
            long.Parse(fields[3], CultureInfo.InvariantCulture),
            File.GetLastWriteTimeUtc(Combine("started")));
    }

    public ShimExit? ReadExit() =>
        ReadText("exit") is { } text && int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            ? new ShimExit(code, File.GetLastWriteTimeUtc(Combine("exit")))
            : null;

    /// <summary>The OOM kill count the shim copied from the cgroup when the workload exited.</summary>
    public long? ReadOomSnapshot() => ReadText("oom") is { } text ? OomKillCount.Parse(text) : null;

    /// <summary>The container's init PID, written by runc once the container started.</summary>
    public int? ReadInitPid() =>
        ReadText("init.pid") is { } text && int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;

    public bool HasExited => File.Exists(Combine("exit"));

    /// <summary>
    /// Calls <paramref name="exited"/> when the shim records the exit, or at once if it already has, until the
    /// returned watch is disposed. It may be called more than once; it must return at once (see <see cref="DirectoryEvents"/>).
    /// </summary>
    /// <exception cref="IOException">The directory is gone or cannot be watched.</exception>
    public IDisposable WatchExit(Action exited)
    {
        var watch = DirectoryEvents.Shared.Subscribe(path, name =>
        {
            if (name is null or "exit")
            {
                exited();
            }
        });
        if (HasExited)
        {
            exited();
        }

        return watch;
    }

    private string Combine(string name) => System.IO.Path.Combine(path, name);

    private string? ReadText(string name)
    {
        try
        {
            return File.ReadAllText(Combine(name));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
