using Gantry.Agent.Cgroups;
using Gantry.Agent.Images;

namespace Gantry.Agent.Runtimes;

/// <summary>
/// One container of a pod, in Kubernetes terms, with everything resolved by the caller: env values,
/// volume host paths, limits in kernel units.
/// </summary>
public sealed record ContainerSpec
{
    public required string Name { get; init; }

    /// <summary>The image reference (oci runtime); ignored by the process runtime, which runs host binaries.</summary>
    public string? Image { get; init; }

    /// <summary>Kubernetes "imagePullPolicy" (Always, IfNotPresent, Never); defaulted from the image's tag when null.</summary>
    public string? ImagePullPolicy { get; init; }

    /// <summary>Gets the image manager's events (Pulling, Pulled…) for the pod; the process runtime has no image to report.</summary>
    public Action<ImageEvent>? ImageEvents { get; init; }

    /// <summary>Kubernetes "command": replaces the image's Entrypoint.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary>Kubernetes "args": replaces the image's Cmd.</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Environment, in order; later entries win, and entries override the image's.</summary>
    public IReadOnlyList<EnvVar> Env { get; init; } = [];

    public string? WorkingDir { get; init; }

    public IReadOnlyList<ContainerMount> Mounts { get; init; } = [];

    /// <summary>Kubernetes "stdin": the workload reads a stdin that <c>kubectl attach -i</c> can write to; otherwise /dev/null.</summary>
    public bool Stdin { get; init; }

    /// <summary>Kubernetes "stdinOnce" of a container without a tty: the workload's stdin ends when the first attach to it ends.</summary>
    public bool StdinOnce { get; init; }

    /// <summary>Kubernetes "tty": the workload runs on a pseudo-terminal that the shim holds (see <see cref="ContainerTerminal"/>).</summary>
    public bool Tty { get; init; }

    /// <summary>The container's own limits, enforced on its cgroup below the pod's.</summary>
    public CgroupLimits Limits { get; init; } = CgroupLimits.None;

    /// <summary>The user, groups and runAsNonRoot of the container's effective securityContext.</summary>
    public ContainerUser User { get; init; } = ContainerUser.Unspecified;

    /// <summary>The hostname the container sees and finds in HOSTNAME (the kernel's nodename, kubelet's pod hostname;
    /// the node's own for a host-network pod); null: the pod's name.</summary>
    public string? Hostname { get; init; }

    /// <summary>The pod's hostNetwork: the container keeps the node's UTS namespace, as containerd has it.</summary>
    public bool HostNetwork { get; init; }

    /// <summary>
    /// An ephemeral container's target (its <c>targetContainerName</c>): the running container whose PID namespace it
    /// joins, so that it sees the target's processes, as CRI's <c>NamespaceMode.TARGET</c>.
    /// </summary>
    public ContainerHandle? ProcessNamespaceOf { get; init; }
}
