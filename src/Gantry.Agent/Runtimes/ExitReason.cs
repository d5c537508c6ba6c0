namespace Gantry.Agent.Runtimes;

/// <summary>Why a container exited. The names are the reasons a Kubernetes container status carries.</summary>
public enum ExitReason
{
    /// <summary>Exit code 0.</summary>
    Completed,

    /// <summary>A non-zero exit code.</summary>
    Error,

    /// <summary>The kernel's OOM killer killed a process of the container at its memory limit.</summary>
    OOMKilled,

    /// <summary>The runtime could not start the workload (bad command, missing binary, bad rootfs).</summary>
    StartError,

    /// <summary>The workload is gone and its exit code with it (its supervising shim was killed, or the node rebooted).</summary>
    ContainerStatusUnknown,
}
