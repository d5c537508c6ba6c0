using Gantry.Agent.Cgroups;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Agent.Runtimes.Processes;

/// <summary>
/// Runs containers as host processes: no image, the host's filesystem, but the container's own
/// cgroup (with its limits), PID/mount/IPC/UTS/cgroup namespaces and the pod's network namespace
/// (a host-network pod keeps the host's network and UTS namespaces), as the securityContext's user.
/// See <see cref="ProcessCommandLine"/> for how the workload is confined before it runs, and
/// <see cref="Shim"/> for how it outlives the agent.
/// </summary>
public sealed class ProcessRuntime : IContainerRuntime
{
    public const string RuntimeName = "process";

    private static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(10);

    private readonly RuntimeOptions _options;
    private readonly PodSandboxes _sandboxes;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CheckpointDirectory _checkpoints;
    private readonly HostTools _tools = HostTools.Resolve();

    public ProcessRuntime(RuntimeOptions options, PodSandboxes sandboxes, TimeProvider? time = null, ILogger<ProcessRuntime>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sandboxes);
        _options = options;
        _sandboxes = sandboxes;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger<ProcessRuntime>.Instance;
        _checkpoints = new CheckpointDirectory(options.StateDirectory, RuntimeName);
    }

    public string Name => RuntimeName;

    private CgroupManager Cgroups => _sandboxes.Cgroups;

    public async Task<ContainerHandle> StartAsync(PodSandboxInfo pod, ContainerSpec container, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        var command = ProcessCommandLine.CommandOf(container);
        HostMountPoints.Check(container.Mounts);
        var began = _time.GetTimestamp();
        var handle = new ContainerHandle(ContainerIds.New(), Name, pod.Uid, pod.Name, pod.Namespace, container.Name, _time.GetUtcNow());
        var cgroupPath = Cgroups.ContainerPath(pod.Uid, handle.Id);
        var logPath = ContainerLogs.PathFor(_options.LogDirectory, handle);
        var directory = _checkpoints.Create(handle.Id);
        try
        {
            await _sandboxes.EnsureAsync(pod, cancellationToken);
            var cgroup = Cgroups.CreateOrUpdate(cgroupPath, container.Limits);
            ContainerLogs.Create(logPath);
            await directory.WriteCheckpointAsync(new ContainerCheckpoint(handle, cgroupPath, logPath, null), cancellationToken);
            var confinement = ProcessCommandLine.Confinement(
                cgroup.MembershipFiles, pod, ReadyFile(directory), container, PidNamespaceOf(container.ProcessNamespaceOf));
            await Shim.LaunchAsync(directory, logPath, cgroup.OomEventsFile, container.Stdin, container.StdinOnce, container.Tty ? ["--tty", string.Empty, string.Empty] : [], confinement, command);
        }
        catch (Exception)
        {
            await TryDiscardAsync(directory, cgroupPath, logPath);
            throw;
        }

        // Returning once the init has exec'd the workload means a status, stop or exec right after
        // this finds the workload (its command, its environment) rather than the init. The shim's
        // started record is awaited too: it is written beside the chain, so the ready file can come
        // first, and a status without it would say Waiting until the pod's next resync.
        bool started;
        try
        {
            started = await Shim.WaitUntilAsync(
                directory.Path,
                () => directory.HasExited || (File.Exists(ReadyFile(directory)) && directory.ReadStarted() is not null),
                _options.StartTimeout,
                _time,
                cancellationToken);
        }
        catch (IOException)
        {
            // The workload was launched; without this it would run on with no pod to own it.
            await RemoveAsync(handle, CancellationToken.None);
            throw;
        }

        if (!started)
        {
            await RemoveAsync(handle, CancellationToken.None);
            throw new TimeoutException($"container {container.Name} of pod {pod.Namespace}/{pod.Name} did not start within {_options.StartTimeout}");
        }

        RuntimeLog.Started(_logger, Name, handle.Id, container.Name, pod.Namespace, pod.Name, (long)_time.GetElapsedTime(began).TotalMilliseconds);
        return handle;
    }

    public Task<ContainerStatus> StatusAsync(ContainerHandle handle, CancellationToken cancellationToken)
    {
        var directory = _checkpoints.Open(handle);
        var checkpoint = directory.ReadCheckpoint()!;
        return Task.FromResult(Observe(directory, checkpoint));
    }

    public IDisposable WatchExit(ContainerHandle handle, Action exited) => _checkpoints.Open(handle).WatchExit(exited);

    public async Task StopAsync(ContainerHandle handle, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        if (_checkpoints.TryOpen(handle) is not { } directory)
        {
            return;
        }

        var checkpoint = directory.ReadCheckpoint()!;
        await Shim.WaitUntilAsync(directory.Path, () => directory.ReadStarted() is not null || directory.HasExited, _options.StartTimeout, _time, cancellationToken);
        if (directory.HasExited)
        {
            return;
        }

        if (gracePeriod > TimeSpan.Zero && directory.ReadStarted() is { } started && ProcStat.IsAlive(started.ChildPid, started.ChildStartTime))
        {
            // The namespace's init, not the shim's child waiting for it: that process has no handler
            // and would die at once, recording an exit while the workload still cleans up.
            ProcessSignals.Send(NamespaceInit(started.ChildPid) ?? started.ChildPid, ProcessSignals.SigTerm);
            if (await WaitForExitRecordAsync(directory, gracePeriod, cancellationToken))
            {
                RuntimeLog.Stopped(_logger, Name, handle.Id, Observe(directory, checkpoint));
                return;
            }
        }

        // SIGKILL to the init first: the kernel then kills the rest of its PID namespace, and the
        // shim's child above it reaps it and exits 137. Killing that child at the same moment would orphan
        // the init to the host's init, to be reaped whenever that gets round to it.
        if (directory.ReadStarted() is { } running && ProcStat.IsAlive(running.ChildPid, running.ChildStartTime) &&
            NamespaceInit(running.ChildPid) is { } init)
        {
            ProcessSignals.Send(init, ProcessSignals.SigKill);
            await WaitForExitRecordAsync(directory, KillTimeout, cancellationToken);
        }

        // Whatever is left (nothing, unless the chain was still being set up) goes with the cgroup.
        await Cgroups.Open(checkpoint.CgroupPath).KillAllAsync(cancellationToken);
        await WaitForExitRecordAsync(directory, KillTimeout, cancellationToken);
        RuntimeLog.Stopped(_logger, Name, handle.Id, Observe(directory, checkpoint));
    }

    public Task<IExecSession> ExecAsync(ContainerHandle handle, ExecRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var directory = _checkpoints.Open(handle);
        var checkpoint = directory.ReadCheckpoint()!;
        if (RunningInit(directory) is not { } init)
        {
            throw new InvalidOperationException($"container {handle.ContainerName} ({handle.Id}) is not running");
        }

        var environment = File.ReadAllText($"/proc/{init}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        if (request.Tty)
        {
            // As containerd does for an exec on a terminal.
            environment = [.. environment.Where(e => !e.StartsWith("TERM=", StringComparison.Ordinal)), "TERM=xterm"];
        }

        // runc checks the command before it starts it, so that kubectl reports a missing one as an error, not as exit 127.
        var user = ProcessCredentials.Read(init);
        if (request.Command.Count > 0 && ExecLookPath.Failure($"/proc/{init}/root", $"/proc/{init}/cwd", PathOf(environment), user, request.Command[0]) is { } reason)
        {
            throw ExecStartFailure.Of(ExecStartFailure.NewExecId(), $"exec failed: unable to start container process: {reason}");
        }

        var argv = ProcessCommandLine.Exec(_tools, Cgroups.Open(checkpoint.CgroupPath).MembershipFiles, init, user, environment, request.Command);
        return Task.FromResult<IExecSession>(ProcessExecSession.Start(argv, request));
    }

    /// <summary>The PATH of an environment of NAME=VALUE entries, the first one as getenv finds it.</summary>
    private static string? PathOf(IEnumerable<string> environment) =>
        environment.FirstOrDefault(e => e.StartsWith("PATH=", StringComparison.Ordinal))?["PATH=".Length..];

    public StdinAttachment? OpenStdin(ContainerHandle handle) => ContainerStdin.Open(_checkpoints.Open(handle));

    public ContainerTerminal? OpenTerminal(ContainerHandle handle) => ContainerTerminal.Open(_checkpoints.Open(handle));

    public string LogPath(ContainerHandle handle) => ContainerLogs.PathFor(_options.LogDirectory, handle);

    public async Task RemoveAsync(ContainerHandle handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var directory = new ContainerDirectory(Path.Combine(_checkpoints.Root, handle.Id));
        if (!Directory.Exists(directory.Path))
        {
            return;
        }

        if (directory.ReadCheckpoint() is not null && !directory.HasExited)
        {
            await StopAsync(handle, TimeSpan.Zero, cancellationToken);
        }

        await DiscardAsync(directory, Cgroups.ContainerPath(handle.PodUid, handle.Id), LogPath(handle));
    }

    public Task<IReadOnlyList<ContainerHandle>> AdoptAsync(CancellationToken cancellationToken)
    {
        var handles = new List<ContainerHandle>();
        foreach (var directory in _checkpoints.All())
        {
            if (directory.ReadCheckpoint() is { } checkpoint)
            {
                handles.Add(checkpoint.Handle);
                continue;
            }

            RuntimeLog.DiscardedIncomplete(_logger, directory.Path);
            Directory.Delete(directory.Path, recursive: true);
        }

        RuntimeLog.Adopted(_logger, handles.Count, Name, _checkpoints.Root);
        return Task.FromResult<IReadOnlyList<ContainerHandle>>(handles);
    }

    private ContainerStatus Observe(ContainerDirectory directory, ContainerCheckpoint checkpoint)
    {
        var started = directory.ReadStarted();
        var childAlive = started is not null && ProcStat.IsAlive(started.ChildPid, started.ChildStartTime);
        var shimAlive = started is not null && ProcStat.IsAlive(started.ShimPid, started.ShimStartTime);
        // Read after the liveness: the shim writes the exit record before it exits, so a dead shim without one was
        // lost, where one read first could miss a record written a moment later and call a clean exit lost.
        var exit = directory.ReadExit();
        var oomKills = (exit is null ? null : directory.ReadOomSnapshot()) ?? Cgroups.Open(checkpoint.CgroupPath).ReadOomKills();
        return ContainerStateResolver.Resolve(new ContainerObservation(
            checkpoint.Handle.CreatedAt,
            started,
            exit,
            childAlive,
            shimAlive,
            childAlive ? NamespaceInit(started!.ChildPid) : null,
            WorkloadStarted: File.Exists(ReadyFile(directory)),
            oomKills,
            _time.GetUtcNow(),
            _options.StartTimeout));
    }

    private static string ReadyFile(ContainerDirectory directory) => Path.Combine(directory.Path, "ready");

    /// <summary>The shim's child forks exactly one process: the init of the container's PID namespace.</summary>
    private static int? NamespaceInit(int parentPid) => ProcStat.ChildrenOf(parentPid) is [var init, ..] ? init : null;

    /// <summary>The container's init (the shim's child's child, in the container's PID namespace), or null when it is not running.</summary>
    private static int? RunningInit(ContainerDirectory directory) =>
        !directory.HasExited && directory.ReadStarted() is { } started && ProcStat.IsAlive(started.ChildPid, started.ChildStartTime)
            ? NamespaceInit(started.ChildPid)
            : null;

    /// <summary>The PID namespace of <paramref name="target"/>'s init, which an ephemeral container targeting it joins; null without a target.</summary>
    /// <exception cref="InvalidOperationException">The target is not running.</exception>
    private string? PidNamespaceOf(ContainerHandle? target) =>
        target is null ? null
        : _checkpoints.TryOpen(target) is { } directory && RunningInit(directory) is { } init ? $"/proc/{init}/ns/pid"
        : throw new InvalidOperationException($"target container {target.ContainerName} ({target.Id}) is not running");

    /// <summary>Waits for the shim to record the exit; also returns once the shim is gone without recording it.</summary>
    private Task<bool> WaitForExitRecordAsync(ContainerDirectory directory, TimeSpan timeout, CancellationToken cancellationToken) =>
        Shim.WaitUntilAsync(
            directory.Path,
            () => directory.HasExited || directory.ReadStarted() is not { } s || !ProcStat.IsAlive(s.ShimPid, s.ShimStartTime),
            timeout,
            _time,
            cancellationToken);

    private async Task DiscardAsync(ContainerDirectory directory, string cgroupPath, string logPath)
    {
        var cgroup = Cgroups.Open(cgroupPath);
        await cgroup.KillAllAsync(CancellationToken.None);
        await cgroup.DeleteAsync(CancellationToken.None);
        ContainerLogs.Delete(_options.LogDirectory, logPath);
        if (Directory.Exists(directory.Path))
        {
            Directory.Delete(directory.Path, recursive: true);
        }
    }

    /// <summary>Cleans up after a failed start without hiding why it failed.</summary>
    private async Task TryDiscardAsync(ContainerDirectory directory, string cgroupPath, string logPath)
    {
        try
        {
            await DiscardAsync(directory, cgroupPath, logPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            RuntimeLog.CleanupFailed(_logger, e, directory.Id);
        }
    }
}
