using System.Globalization;

namespace Gantry.Agent.Runtimes.Processes;

/// <summary>
/// The command lines of the process runtime: a chain of exec(2)s, each adding one property, that
/// ends in the workload with every property in force before its first instruction:
/// <code>
/// env -i --default-signal         exactly the container's environment and working directory, and
///     --chdir=DIR K=V...           default signal dispositions (so the shim need not run env itself)
/// sh -c JOIN cgroup.procs... --    write own PID into each container cgroup
/// nsenter --net=NETNS --           the pod's network namespace (omitted for host network)
/// unshare --pid --mount --ipc      new PID (for children), mount, IPC, UTS and cgroup namespaces
///         --uts --cgroup --
/// sh -c PARENT MOUNT READY host ctr ro|rw... -- command args...
///                                  forks the PID namespace's init (a subshell: a fork, no exec)
///                                  and waits for it; the init mounts /proc and the bind mounts,
///                                  touches READY, and execs the command (looked up on the
///                                  container's PATH)
/// </code>
/// Every exec on this chain costs a pod start 1.5–3 ms on an idle core (much more on a busy one),
/// which is why the init is a subshell, the environment and signals are set by one env, and a
/// read-only bind mount is one <c>mount -o bind,ro</c> (util-linux ≥ 2.27 remounts it itself).
/// The fork is the shell's, not unshare --fork's: util-linux 2.38's unshare turns a child killed
/// by SIGKILL (the OOM killer's signal) into its own exit status 1, and the exit code must say 137.
/// Pure: builds argv, runs nothing.
/// </summary>
internal static class ProcessCommandLine
{
    /// <summary>Exit status 125 (as env uses for its own failures) if joining fails: never run unconfined.</summary>
    private const string JoinScript = """while [ "$1" != -- ]; do echo $$ >"$1" || exit 125; shift; done; shift; exec "$@" """;

    /// <summary>
    /// Runs the init as a subshell in the foreground (a background command would start with SIGINT and
    /// SIGQUIT ignored), not as the last command (which dash would exec instead of fork). The subshell
    /// is the first process forked in the new PID namespace, so it is PID 1, which is what /proc must
    /// be mounted by to show it. $1 is the mount program, $2 the ready file: its existence tells the
    /// runtime that the next instruction of this process is the workload's exec. $? is 128+N for an
    /// init killed by signal N and becomes this shell's exit status, which the shim records.
    /// </summary>
    private const string ParentScript =
        """(mnt=$1 ready=$2; shift 2; "$mnt" -t proc -o nosuid,nodev,noexec proc /proc || exit 125; while [ "$1" != -- ]; do if [ "$3" = ro ]; then "$mnt" -o bind,ro "$1" "$2" || exit 125; else "$mnt" --bind "$1" "$2" || exit 125; fi; shift 3; done; shift; : >"$ready"; exec "$@"); exit $?""";

    public static IReadOnlyList<string> Workload(HostTools tools, IReadOnlyList<string> membershipFiles, string? networkNamespace, string readyFile, ContainerSpec container)
    {
        ArgumentNullException.ThrowIfNull(tools);
        var command = CommandOf(container);
        List<string> argv = [tools.Env, "-i", "--default-signal", "--chdir=" + (container.WorkingDir is { Length: > 0 } directory ? directory : "/")];
        argv.AddRange(ContainerEnvironment.Merge([], container.Env));
        argv.AddRange(Join(tools, membershipFiles));
        if (networkNamespace is not null)
        {
            argv.AddRange([tools.Nsenter, "--net=" + networkNamespace, "--"]);
        }

        argv.AddRange([tools.Unshare, "--pid", "--mount", "--ipc", "--uts", "--cgroup", "--propagation", "private", "--"]);
        argv.AddRange([tools.Shell, "-c", ParentScript, "gantry-parent", tools.Mount, readyFile]);
        foreach (var mount in container.Mounts)
        {
            argv.AddRange([mount.HostPath, mount.ContainerPath, mount.ReadOnly ? "ro" : "rw"]);
        }

        argv.Add("--");
        argv.AddRange(command);
        return argv;
    }

    /// <summary>command followed by args: with no image there is no entrypoint for either to modify.</summary>
    public static IReadOnlyList<string> CommandOf(ContainerSpec container)
    {
        ArgumentNullException.ThrowIfNull(container);
        var command = container.Command.Concat(container.Args).ToList();
        return command.Count > 0
            ? command
            : throw new ArgumentException($"container {container.Name}: the process runtime has no image to take a command from; set command or args", nameof(container));
    }

    /// <summary>A command in a running container: its cgroup, namespaces, working directory and the environment its init started with.</summary>
    public static IReadOnlyList<string> Exec(HostTools tools, IReadOnlyList<string> membershipFiles, int initPid, IReadOnlyList<string> environment, IReadOnlyList<string> command)
    {
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(command);
        if (command.Count == 0)
        {
            throw new ArgumentException("exec needs a command", nameof(command));
        }

        var argv = Join(tools, membershipFiles);
        argv.AddRange([
            tools.Nsenter, "--target", initPid.ToString(CultureInfo.InvariantCulture),
            "--pid", "--mount", "--uts", "--ipc", "--net", "--cgroup", "--wd", "--",
            tools.Env, "-i", "--default-signal",
        ]);
        argv.AddRange(environment);
        argv.AddRange(command);
        return argv;
    }

    private static List<string> Join(HostTools tools, IReadOnlyList<string> membershipFiles) =>
        [tools.Shell, "-c", JoinScript, "gantry-join", .. membershipFiles, "--"];
}
