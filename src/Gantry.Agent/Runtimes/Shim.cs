using System.Threading.Channels;

namespace Gantry.Agent.Runtimes;

/// <summary>
/// Launches a workload under a shim: <c>gantry-shim</c> (a small C program, gantry-shim.c, built
/// beside the agent), in a session of its own and parented by init, that starts the workload with
/// its stdout and stderr on pipes, copies what they carry into the log file as CRI records (each line
/// with the time it was read and its stream, as containerd writes them for kubelet), waits for it,
/// and records its exit status once its output has ended (or 2 s after its exit, when something it left
/// behind still holds the pipes). Because the shim,
/// not the agent, is the workload's parent, killing the agent (even with SIGKILL) neither stops the
/// workload nor loses its exit code.
/// The shim writes into the container's checkpoint directory, each by rename:
/// <list type="bullet">
/// <item>started — "shim-pid shim-start child-pid child-start", read from /proc while the child is
/// still the shim's unreaped child, so the PID cannot have been reused;</item>
/// <item>oom — a copy of the container cgroup's OOM event counters, taken when the child exits
/// (runc --keep and the process runtime both leave the cgroup in place until removal, but a
/// copy survives even a cleanup that raced ahead);</item>
/// <item>exit — the child's exit status (128+N for signal N).</item>
/// </list>
/// The child's stdin is /dev/null, or the container's stdin FIFO, which the shim also holds open
/// for writing until it gets SIGUSR1 (see <see cref="ContainerStdin"/>). The child starts with
/// default signal dispositions and an empty signal mask, whatever the agent (.NET ignores SIGPIPE)
/// had. A container with a terminal is started by a detached runc instead, and the shim relays its terminal
/// (<see cref="ContainerTerminal"/>). The shim itself never joins the container's cgroup, so the OOM killer of that cgroup cannot
/// pick it. With a confinement (the process runtime's, <see cref="Processes.ProcessCommandLine"/>)
/// the child confines itself before the workload's first instruction, all as system calls.
/// </summary>
internal static class Shim
{
    /// <summary>The file name of the shim, next to the agent's assemblies.</summary>
    public const string ProgramName = "gantry-shim";

    private static readonly TimeSpan FallbackPollInterval = TimeSpan.FromMilliseconds(50);

    private static readonly Lazy<string> Program = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, ProgramName);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing: build Gantry with a C compiler present (scripts/bootstrap installs gcc)", path);
    });

    /// <summary>Starts the shim and returns once it has detached (not once the workload started).</summary>
    /// <param name="stdin">Give the workload the container's stdin FIFO (created here) instead of /dev/null; <paramref name="stdinOnce"/> as in <see cref="ContainerStdin"/>.</param>
    /// <param name="terminal">
    /// The shim's <c>--tty</c> arguments (see <see cref="ContainerTerminal"/>): runc's console socket and pid file, or two
    /// empty strings for a terminal the shim opens itself; empty for a workload without a terminal.
    /// </param>
    /// <param name="confinement">The shim's <c>--confine</c> arguments, or empty to run <paramref name="argv"/> as it is.</param>
    /// <exception cref="IOException">The shim could not be started, or failed before it detached.</exception>
    public static async Task LaunchAsync(
        ContainerDirectory directory,
        string logPath,
        string? oomEventsFile,
        bool stdin,
        bool stdinOnce,
        IReadOnlyList<string> terminal,
        IReadOnlyList<string> confinement,
        IReadOnlyList<string> argv)
    {
        if (stdin)
        {
            ContainerStdin.Create(directory, stdinOnce);
        }

        InheritedDescriptors.MarkCloseOnExec();
        var (exitCode, error) = await SpawnedProgram.RunAsync(
            Program.Value,
            [directory.Path, logPath, oomEventsFile ?? string.Empty, stdin ? directory.StdinFifo : string.Empty, .. terminal, .. confinement, "--", .. argv]);
        if (exitCode != 0)
        {
            throw new IOException($"{ProgramName} failed with exit code {exitCode}: {error.Trim()}");
        }
    }

    /// <summary>
    /// Waits until <paramref name="condition"/> holds; false if <paramref name="timeout"/> passed first. The condition
    /// is tested again whenever a file in <paramref name="directory"/> is created, renamed into place or written
    /// (inotify), which is how the shim, runc and the launcher all announce progress, so a start is seen at once
    /// rather than up to a poll period later; a slow poll remains for what leaves no file (a shim that died).
    /// </summary>
    public static async Task<bool> WaitUntilAsync(string directory, Func<bool> condition, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        // A channel rather than a semaphore: an event may still arrive while the watch is being disposed,
        // and writing to a channel nobody reads is harmless where releasing a disposed semaphore throws.
        var changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        using var watch = DirectoryEvents.Shared.Subscribe(directory, _ => changed.Writer.TryWrite(true));
        var deadline = time.GetUtcNow() + timeout;
        while (!condition())
        {
            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var poll = Task.Delay(left < FallbackPollInterval ? left : FallbackPollInterval, time, wait.Token);
            await Task.WhenAny(changed.Reader.WaitToReadAsync(wait.Token).AsTask(), poll);
            await wait.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
            changed.Reader.TryRead(out _);
        }

        return true;
    }
}
