using System.Diagnostics;

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
/// otherwise be inherited by the workload.
/// </summary>
internal static class Shim
{
    /// <summary>$1 checkpoint directory, $2 log file, $3 OOM events file ("" for none), $4 stdin FIFO ("" for none), then argv.</summary>
    private const string Script = """
        dir=$1 log=$2 oom=$3 stdin=$4
        shift 4
        exec </dev/null >>"$dir/shim.log" 2>&1
        if [ -n "$stdin" ]; then exec 3<>"$stdin"; trap 'exec 3>&-' USR1; else stdin=/dev/null; fi
        starttime() { read -r s < "/proc/$1/stat" || return 1; s=${s##*") "}; set -- $s; shift 19; st=$1; }
        env --default-signal -- "$@" <"$stdin" 3>&- >>"$log" 2>&1 &
        child=$!
        starttime $$; self=$st
        starttime $child; childstart=$st
        echo "$$ $self $child $childstart" >"$dir/started.tmp" && mv -f "$dir/started.tmp" "$dir/started"
        while :; do wait $child; code=$?; [ $code -gt 128 ] && kill -0 $child 2>/dev/null || break; done
        [ -z "$oom" ] || { cat "$oom" >"$dir/oom.tmp" && mv -f "$dir/oom.tmp" "$dir/oom"; }
        echo $code >"$dir/exit.tmp" && mv -f "$dir/exit.tmp" "$dir/exit"
        """;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);

    /// <summary>Starts the shim and returns once it has detached (not once the workload started).</summary>
    /// <param name="stdin">Give the workload the container's stdin FIFO (created here) instead of /dev/null; <paramref name="stdinOnce"/> as in <see cref="ContainerStdin"/>.</param>
    public static async Task LaunchAsync(
        ContainerDirectory directory, string logPath, string? oomEventsFile, bool stdin, bool stdinOnce, IReadOnlyList<string> argv, CancellationToken cancellationToken)
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
        foreach (var argument in (string[])["--fork", "/bin/sh", "-c", Script, "gantry-shim", directory.Path, logPath, oomEventsFile ?? string.Empty, stdin ? directory.StdinFifo : string.Empty, .. argv])
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

    /// <summary>Polls <paramref name="condition"/> until it holds; false if <paramref name="timeout"/> passed first.</summary>
    public static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (!condition())
        {
            if (time.GetUtcNow() >= deadline)
            {
                return false;
            }

            await Task.Delay(PollInterval, time, cancellationToken);
        }

        return true;
    }
}
