using System.Globalization;

namespace Gantry.Agent.Runtimes.Processes;

/// <summary>
/// The command lines of the process runtime. A workload starts under <c>gantry-shim</c> with a
/// confinement (<see cref="Confinement"/>), which its child puts in force with system calls before
/// the workload's first instruction: join the container's cgroups, enter the pod's network namespace,
/// unshare PID, mount, IPC, UTS and cgroup namespaces (mounts made private), fork the PID namespace's
/// init, which mounts /proc and the bind mounts, changes to the working directory and execs the
/// command with exactly the container's environment, looked up on its PATH. The shim's child creates
/// the ready file once that exec has succeeded (a close-on-exec pipe tells it), then waits for the
/// init and exits as it did (128+N for signal N: an OOM kill is 137).
/// An exec into a running container is a chain of host programs instead (<see cref="Exec"/>): it is
/// not on a pod's start path. Pure: builds argv, runs nothing.
/// </summary>
internal static class ProcessCommandLine
{
    /// <summary>Exit status 125 (as env uses for its own failures) if joining fails: never run unconfined.</summary>
    private const string JoinScript = """while [ "$1" != -- ]; do echo $$ >"$1" || exit 125; shift; done; shift; exec "$@" """;

    /// <summary>
    /// The shim's <c>--confine READY NETNS WORKDIR N FILE... N NAME=VALUE... N (HOST CONTAINER ro|rw)...</c>;
    /// NETNS is empty for a host-network pod.
    /// </summary>
    public static IReadOnlyList<string> Confinement(IReadOnlyList<string> membershipFiles, string? networkNamespace, string readyFile, ContainerSpec container)
    {
        ArgumentNullException.ThrowIfNull(membershipFiles);
        ArgumentNullException.ThrowIfNull(container);
        var environment = ContainerEnvironment.Merge([], container.Env);
        List<string> argv =
        [
            "--confine", readyFile, networkNamespace ?? string.Empty, container.WorkingDir is { Length: > 0 } directory ? directory : "/",
            Count(membershipFiles.Count), .. membershipFiles,
            Count(environment.Count), .. environment,
            Count(container.Mounts.Count),
        ];
        foreach (var mount in container.Mounts)
        {
            argv.AddRange([mount.HostPath, mount.ContainerPath, mount.ReadOnly ? "ro" : "rw"]);
        }

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

    private static string Count(int count) => count.ToString(CultureInfo.InvariantCulture);

    private static List<string> Join(HostTools tools, IReadOnlyList<string> membershipFiles) =>
        [tools.Shell, "-c", JoinScript, "gantry-join", .. membershipFiles, "--"];
}
