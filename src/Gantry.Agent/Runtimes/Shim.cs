using System.Diagnostics;
using System.Threading.Channels;

namespace Gantry.Agent.Runtimes;

/// <summary>
/// Launches a workload under a shim: a small /bin/sh, in a session of its own and parented by
/// init, that starts the workload with its output appended to the log file, waits for it, and
/// records its exit status. Because the shim, not the agent, is the workload's parent, killing the
/// agent (even with SIGKILL) neither stops the workload nor loses its exit code.
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
/// for writing (descriptor 3) until it gets SIGUSR1 (see <see cref="ContainerStdin"/>); a trapped
/// signal interrupts wait, hence the loop.
/// The shim itself never joins the container's cgroup, so the OOM killer of that cgroup cannot
/// pick it. It starts its child through env --default-signal: a shell starts background commands
/// with SIGINT and SIGQUIT ignored, the agent (.NET) ignores SIGPIPE, and ignored signals would
/// otherwise be inherited by the workload. A caller whose argv already begins with such an env
/// (the process runtime's) says so, and saves the pod start that exec.
/// </summary>
internal static class Shim
{
    /// <summary>$1 checkpoint directory, $2 log file, $3 OOM events file ("" for none), $4 stdin FIFO ("" for none), $5 "1" if argv resets signals itself, then argv.</summary>
    private const string Script = """
        dir=$1 log=$2 oom=$3 stdin=$4 resets=$5
        shift 5
        [ -n "$resets" ] || set -- env --default-signal -- "$@"
        exec </dev/null >>"$dir/shim.log" 2>&1
        if [ -n "$stdin" ]; then exec 3<>"$stdin"; trap 'exec 3>&-' USR1; else stdin=/dev/null; fi
        starttime() { read -r s < "/proc/$1/stat" || return 1; s=${s##*") "}; set -- $s; shift 19; st=$1; }
        "$@" <"$stdin" 3>&- >>"$log" 2>&1 &
        child=$!
        starttime $$; self=$st
        starttime $child; childstart=$st
        echo "$$ $self $child $childstart" >"$dir/started.tmp" && mv -f "$dir/started.tmp" "$dir/started"
        while :; do wait $child; code=$?; [ $code -gt 128 ] && kill -0 $child 2>/dev/null || break; done
        [ -z "$oom" ] || { cat "$oom" >"$dir/oom.tmp" && mv -f "$dir/oom.tmp" "$dir/oom"; }
        echo $code >"$dir/exit.tmp" && mv -f "$dir/exit.tmp" "$dir/exit"
        """;

    private static readonly TimeSpan FallbackPollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Starts the shim and returns once it has detached (not once the workload started).</summary>
    /// <param name="argvResetsSignals">argv starts with <c>env --default-signal</c> (or equivalent), so the shim need not.</param>
    /// <param name="stdin">Give the workload the container's stdin FIFO (created here) instead of /dev/null; <paramref name="stdinOnce"/> as in <see cref="ContainerStdin"/>.</param>
    public static async Task LaunchAsync(
        ContainerDirectory directory,
        string logPath,
        string? oomEventsFile,
        bool stdin,
        bool stdinOnce,
        bool argvResetsSignals,
        IReadOnlyList<string> argv,
        CancellationToken cancellationToken)
    {
        if (stdin)
        {
            ContainerStdin.Create(directory, stdinOnce);
        }

        // setsid -f forks, so the shim is never the agent's child: it gets its own session (no
        // signal aimed at the agent's process group reaches it) and init as its parent.
        var startInfo = new ProcessStartInfo("setsid")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--fork", "/bin/sh", "-c", Script, "gantry-shim", directory.Path, logPath, oomEventsFile ?? string.Empty, stdin ? directory.StdinFifo : string.Empty, argvResetsSignals ? "1" : string.Empty, .. argv])
        {
            startInfo.ArgumentList.Add(argument);
        }

        InheritedDescriptors.MarkCloseOnExec();
        using var setsid = Process.Start(startInfo) ?? throw new IOException("could not start setsid");
        setsid.StandardInput.Close();
        await setsid.WaitForExitAsync(cancellationToken);
        if (setsid.ExitCode != 0)
        {
            throw new IOException($"setsid failed with exit code {setsid.ExitCode}");
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
        // A channel rather than a semaphore: the watcher may still raise an event while it is being disposed,
        // and writing to a channel nobody reads is harmless where releasing a disposed semaphore throws.
        var changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        using var watcher = new FileSystemWatcher(directory) { NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite };
        watcher.Created += (_, _) => changed.Writer.TryWrite(true);
        watcher.Renamed += (_, _) => changed.Writer.TryWrite(true);
        watcher.Changed += (_, _) => changed.Writer.TryWrite(true);
        watcher.EnableRaisingEvents = true;
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
