using System.Globalization;

namespace Gantry.Agent.Runtimes.Processes;

/// <summary>
/// The command lines of the process runtime. A workload starts under <c>gantry-shim</c> with a
/// confinement (<see cref="Confinement"/>), which its child puts in force with system calls before
/// the workload's first instruction: join the container's cgroups, enter the pod's network namespace,
/// unshare PID, mount, IPC and cgroup namespaces (mounts made private) and a UTS namespace named after
/// the pod (a host-network pod keeps the host's), fork the PID namespace's init, which mounts /proc and
/// the bind mounts, changes to the working directory, takes the securityContext's groups, gid and uid
/// and execs the command with exactly the container's environment, looked up on its PATH. The shim's child creates
/// the ready file once that exec has succeeded (a close-on-exec pipe tells it), then waits for the
/// init and exits as it did (128+N for signal N: an OOM kill is 137).
/// An exec into a running container is a chain of host programs instead (<see cref="Exec"/>): it is
/// not on a pod's start path. Pure: builds argv, runs nothing.
/// </summary>
internal static class ProcessCommandLine
{
    /// <summary>What a process pod runs as when its securityContext names no user: the agent's user, root (the shim
    /// unshares namespaces, which takes CAP_SYS_ADMIN).</summary>
    private const string AgentUser = "0:0";

    /// <summary>Exit status 125 (as env uses for its own failures) if joining fails: never run unconfined.</summary>
    private const string JoinScript = """while [ "$1" != -- ]; do echo $$ >"$1" || exit 125; shift; done; shift; exec "$@" """;

    /// <summary>
    /// The shim's <c>--confine READY NETNS PIDNS WORKDIR HOSTNAME UID GID N GROUP... N FILE... N NAME=VALUE... N (HOST CONTAINER ro|rw)...</c>;
    /// NETNS and HOSTNAME are empty for a host-network pod, PIDNS unless the container shares another's processes
    /// (<paramref name="pidNamespace"/>, an ephemeral container's target's), UID and GID (and no groups) when the
    /// securityContext names no user: the workload then runs as the agent does.
    /// </summary>
    /// <exception cref="Pods.ContainerConfigException">runAsNonRoot, and the workload would run as root.</exception>
    public static IReadOnlyList<string> Confinement(
        IReadOnlyList<string> membershipFiles, PodSandboxInfo pod, string readyFile, ContainerSpec container, string? pidNamespace = null)
    {
        ArgumentNullException.ThrowIfNull(membershipFiles);
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        // TERM for a terminal, which the container's env may override, as containerd's oci.WithTTY.
        var environment = ContainerEnvironment.Merge(container.Tty ? ["TERM=xterm"] : [], [.. container.Env, .. ContainerHostname.EnvUnlessSet(pod, container)]);
        var user = container.User.Resolve(AgentUser, UserDatabase.Empty, pod, container.Name);
        List<string> argv =
        [
            "--confine", readyFile, pod.NetworkNamespacePath ?? string.Empty, pidNamespace ?? string.Empty,
            container.WorkingDir is { Length: > 0 } directory ? directory : "/",
            ContainerHostname.OwnNamespace(pod, container) ?? string.Empty,
            .. container.User.IsSpecified
                ? [Id(user.Uid), Id(user.Gid), Count(user.AdditionalGids.Count), .. user.AdditionalGids.Select(Id)]
                : (string[])["", "", "0"],
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

    /// <summary>
    /// A command in a running container: its cgroup, namespaces, working directory and the environment its init started
    /// with, as the init's user (<paramref name="user"/>, as runc exec takes the container's) unless that is root's.
    /// </summary>
    public static IReadOnlyList<string> Exec(
        HostTools tools, IReadOnlyList<string> membershipFiles, int initPid, ProcessUser user, IReadOnlyList<string> environment, IReadOnlyList<string> command)
    {
        ArgumentNullException.ThrowIfNull(user);
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
        ]);
        if (user.Uid != 0 || user.Gid != 0)
        {
            argv.AddRange([
                tools.Setpriv, $"--reuid={Id(user.Uid)}", $"--regid={Id(user.Gid)}",
                .. user.AdditionalGids.Count > 0 ? [$"--groups={string.Join(',', user.AdditionalGids.Select(Id))}"] : (string[])["--clear-groups"],
                "--",
            ]);
        }

        argv.AddRange([tools.Env, "-i", "--default-signal"]);
        argv.AddRange(environment);
        argv.AddRange(command);
        return argv;
    }

    private static string Count(int count) => count.ToString(CultureInfo.InvariantCulture);

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static List<string> Join(HostTools tools, IReadOnlyList<string> membershipFiles) =>
        [tools.Shell, "-c", JoinScript, "gantry-join", .. membershipFiles, "--"];
}
