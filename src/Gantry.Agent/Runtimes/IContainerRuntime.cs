namespace Gantry.Agent.Runtimes;

/// <summary>
/// Runs pod containers as real Linux workloads, independent of the agent process: a workload keeps
/// running, and its exit code is still recorded, when the agent is killed; a new agent finds it
/// again with <see cref="AdoptAsync"/>. Limits are in force before the workload's first
/// instruction. Output goes straight to <see cref="LogPath"/>, never through the agent.
/// </summary>
public interface IContainerRuntime
{
    /// <summary>"process" or "oci"; stored in every handle this runtime returns.</summary>
    string Name { get; }

    /// <summary>
    /// Creates the pod cgroup if needed and the container's below it, checkpoints the container and
    /// starts it; returns once it is running (or already exited: a failed start is reported by
    /// <see cref="StatusAsync"/> as <see cref="ExitReason.StartError"/> or an exit code, with the
    /// reason in the log). Throws, leaving nothing behind, when the container cannot even be
    /// created (unknown image, limits the kernel refuses). If cancelled after the workload was
    /// launched, the checkpoint remains for <see cref="AdoptAsync"/>.
    /// </summary>
    Task<ContainerHandle> StartAsync(PodSandboxInfo pod, ContainerSpec container, CancellationToken cancellationToken);

    /// <summary>The container's state now. Never blocks on the workload.</summary>
    Task<ContainerStatus> StatusAsync(ContainerHandle handle, CancellationToken cancellationToken);

    /// <summary>
    /// Calls <paramref name="exited"/> as soon as the container's exit is recorded (at once if it already is), until the
    /// returned watch is disposed: what lets a pod worker leave a running container alone instead of polling it.
    /// </summary>
    IDisposable WatchExit(ContainerHandle handle, Action exited);

    /// <summary>
    /// SIGTERM to the workload's main process, then, if it is still running after
    /// <paramref name="gracePeriod"/>, SIGKILL to every process of the container. Returns once the
    /// exit is recorded. A no-op on an exited or already removed container, as CRI's StopContainer
    /// is: a pod teardown that failed part way (a CNI DEL timing out) is retried from the start.
    /// </summary>
    Task StopAsync(ContainerHandle handle, TimeSpan gracePeriod, CancellationToken cancellationToken);

    /// <summary>Starts a command in the running container's namespaces and cgroup, with its environment.</summary>
    Task<IExecSession> ExecAsync(ContainerHandle handle, ExecRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// The running container's standard input, for <c>kubectl attach -i</c>: null when the container
    /// was started without <see cref="ContainerSpec.Stdin"/>, is not running, or was started with
    /// <see cref="ContainerSpec.StdinOnce"/> and an earlier attach had it.
    /// </summary>
    StdinAttachment? OpenStdin(ContainerHandle handle);

    /// <summary>
    /// The running container's terminal, for <c>kubectl attach -t</c>: its live output and its size. Null when the
    /// container was started without <see cref="ContainerSpec.Tty"/> (or by a runtime that gives it none) or is not running.
    /// </summary>
    ContainerTerminal? OpenTerminal(ContainerHandle handle);

    /// <summary>
    /// The container's log: the workload's stdout and stderr as the shim read them from its pipes (or its terminal's output, as stdout), one
    /// CRI record per line (<see cref="CriLogRecord"/>), with the time it was read and its stream.
    /// Exists from start until <see cref="RemoveAsync"/>.
    /// </summary>
    string LogPath(ContainerHandle handle);

    /// <summary>
    /// Kills the container if running and deletes everything it had: cgroup, root filesystem,
    /// runc state, checkpoint and log. Idempotent.
    /// </summary>
    Task RemoveAsync(ContainerHandle handle, CancellationToken cancellationToken);

    /// <summary>
    /// Every container this runtime's checkpoint directory holds, running or exited, as left by a
    /// previous agent (or this one). Leftovers of starts interrupted before the checkpoint was
    /// written are cleaned up, so call it when the agent starts, before starting containers.
    /// </summary>
    Task<IReadOnlyList<ContainerHandle>> AdoptAsync(CancellationToken cancellationToken);
}
