using Gantry.Agent.Cgroups;
using Gantry.Agent.Images;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Agent.Runtimes.Oci;

/// <summary>
/// Runs containers from images with runc. Each container's checkpoint directory is also its runc
/// bundle: config.json, and rootfs/ assembled from the image's layers. The shim waits on a
/// foreground `runc run --keep`, so runc, not the agent, is the container's parent, and the exit
/// status and OOM counters outlive both the container and the agent. A container with a terminal is
/// started by a detached runc instead, which hands the terminal to the shim (see <see cref="ContainerTerminal"/>).
/// </summary>
public sealed class OciRuntime : IContainerRuntime
{
    public const string RuntimeName = "oci";

    private static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(10);

    private readonly RuntimeOptions _options;
    private readonly PodSandboxes _sandboxes;
    private readonly ImageStore _images;
    private readonly ImagePuller _puller;
    private readonly RootfsBuilder _rootfs;
    private readonly RootfsMode _rootfsMode;
    private readonly RuncClient _runc;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CheckpointDirectory _checkpoints;

    /// <param name="puller">Makes images present per pull policy; one over <paramref name="images"/> when null.</param>
    public OciRuntime(
        RuntimeOptions options, OciRuntimeOptions oci, PodSandboxes sandboxes, ImageStore images, TimeProvider? time = null, ILogger<OciRuntime>? logger = null,
        ImagePuller? puller = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(oci);
        ArgumentNullException.ThrowIfNull(sandboxes);
        ArgumentNullException.ThrowIfNull(images);
        _options = options;
        _sandboxes = sandboxes;
        _images = images;
        _puller = puller ?? new ImagePuller(images, time: time);
        _rootfs = new RootfsBuilder(images);
        _rootfsMode = oci.RootfsMode;
        _runc = new RuncClient(oci.Runc, oci.RuncRoot);
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger<OciRuntime>.Instance;
        _checkpoints = new CheckpointDirectory(options.StateDirectory, RuntimeName);
    }

    public string Name => RuntimeName;

    private CgroupManager Cgroups => _sandboxes.Cgroups;

    public async Task<ContainerHandle> StartAsync(PodSandboxInfo pod, ContainerSpec container, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        if (string.IsNullOrWhiteSpace(container.Image))
        {
            throw new ArgumentException($"container {container.Name} names no image", nameof(container));
        }

        // Pulled before anything is created, so a failed pull leaves nothing to clean up; an
        // ImagePullException carries the container's waiting reason (ErrImagePull, ImagePullBackOff…).
        await _puller.EnsureAsync(container.Image, container.ImagePullPolicy, $"{pod.Uid}_{container.Image}", null, container.ImageEvents, cancellationToken);
        var began = _time.GetTimestamp();
        var handle = new ContainerHandle(ContainerIds.New(), Name, pod.Uid, pod.Name, pod.Namespace, container.Name, _time.GetUtcNow());
        var cgroupPath = Cgroups.ContainerPath(pod.Uid, handle.Id);
        var logPath = ContainerLogs.PathFor(_options.LogDirectory, handle);
        var bundle = _checkpoints.Create(handle.Id);
        try
        {
            var image = await _images.AcquireAsync(
                container.Image, handle.Id, $"pod {pod.Namespace}/{pod.Name} (container {container.Name})", cancellationToken);
            var name = ImageReference.Normalize(container.Image);
            handle = handle with { ImageRef = image.ImageIdFor(name), Image = image.TagFor(name) };
            await bundle.WriteCheckpointAsync(new ContainerCheckpoint(handle, cgroupPath, logPath, image.Id), cancellationToken);
            await _sandboxes.EnsureAsync(pod, cancellationToken);
            var (rootfs, _) = await _rootfs.PrepareAsync(image, bundle.Path, _rootfsMode, cancellationToken);

            // After the root filesystem, whose /etc/passwd and /etc/group turn the user into ids.
            var config = OciConfigBuilder.Build(
                pod, container, image.Config, UserDatabase.ReadFrom(rootfs), "/" + cgroupPath, PidNamespaceOf(container.ProcessNamespaceOf));
            await File.WriteAllTextAsync(bundle.ConfigFile, config.ToJsonString(), cancellationToken);
            ContainerLogs.Create(logPath);
            var argv = container.Tty
                ? _runc.RunDetachedCommand(handle.Id, bundle.Path, bundle.InitPidFile, bundle.ConsoleSocket)
                : _runc.RunCommand(handle.Id, bundle.Path, bundle.InitPidFile);
            IReadOnlyList<string> terminal = container.Tty ? ["--tty", bundle.ConsoleSocket, bundle.InitPidFile] : [];
            await Shim.LaunchAsync(bundle, logPath, Cgroups.Open(cgroupPath).OomEventsFile, container.Stdin, container.StdinOnce, terminal, confinement: [], argv);
        }
        catch (Exception)
        {
            await TryDiscardAsync(handle, bundle);
            throw;
        }

        // The shim's started record as well as runc's pid file: a status without it would say Waiting
        // until the pod's next resync.
        bool started;
        try
        {
            started = await Shim.WaitUntilAsync(
                bundle.Path,
                () => bundle.HasExited || (bundle.ReadInitPid() is not null && bundle.ReadStarted() is not null),
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

    /// <summary>
    /// The PID namespace of <paramref name="target"/>'s init, as containerd finds a target container's: through its
    /// pid. The target must be running, or there is no namespace to join.
    /// </summary>
    private string? PidNamespaceOf(ContainerHandle? target)
    {
        if (target is null)
        {
            return null;
        }

        var bundle = _checkpoints.TryOpen(target);
        return bundle is not null && !bundle.HasExited && bundle.ReadInitPid() is { } pid
            ? $"/proc/{pid}/ns/pid"
            : throw new InvalidOperationException($"target container {target.ContainerName} ({target.Id}) is not running");
    }

    public async Task<ContainerStatus> StatusAsync(ContainerHandle handle, CancellationToken cancellationToken)
    {
        var bundle = _checkpoints.Open(handle);
        return await ObserveAsync(bundle, bundle.ReadCheckpoint()!, cancellationToken);
    }

    public IDisposable WatchExit(ContainerHandle handle, Action exited) => _checkpoints.Open(handle).WatchExit(exited);

    public async Task StopAsync(ContainerHandle handle, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        if (_checkpoints.TryOpen(handle) is not { } bundle)
        {
            return;
        }

        var checkpoint = bundle.ReadCheckpoint()!;
        await Shim.WaitUntilAsync(bundle.Path, () => bundle.HasExited || bundle.ReadInitPid() is not null, _options.StartTimeout, _time, cancellationToken);
        if (bundle.HasExited)
        {
            return;
        }

        if (gracePeriod > TimeSpan.Zero && await _runc.KillAsync(handle.Id, "TERM", all: false, cancellationToken) &&
            await WaitForExitRecordAsync(bundle, gracePeriod, cancellationToken))
        {
            RuntimeLog.Stopped(_logger, Name, handle.Id, await ObserveAsync(bundle, checkpoint, cancellationToken));
            return;
        }

        // SIGKILL to the init takes its whole PID namespace with it; runc, its parent, reaps it and
        // exits 137. Should runc be gone, the cgroup still reaches every process.
        await _runc.KillAsync(handle.Id, "KILL", all: false, cancellationToken);
        if (!await WaitForExitRecordAsync(bundle, KillTimeout, cancellationToken))
        {
            await Cgroups.Open(checkpoint.CgroupPath).KillAllAsync(cancellationToken);
        }

        RuntimeLog.Stopped(_logger, Name, handle.Id, await ObserveAsync(bundle, checkpoint, cancellationToken));
    }

    public Task<IExecSession> ExecAsync(ContainerHandle handle, ExecRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentNullException.ThrowIfNull(request);
        var bundle = _checkpoints.Open(handle);
        if (bundle.HasExited || bundle.ReadInitPid() is null)
        {
            throw new InvalidOperationException($"container {handle.ContainerName} ({handle.Id}) is not running");
        }

        if (request.Command.Count == 0)
        {
            throw new ArgumentException("exec needs a command", nameof(request));
        }

        return RuncExecSession.StartAsync(_runc, handle.Id, bundle.Path, request, cancellationToken);
    }

    public StdinAttachment? OpenStdin(ContainerHandle handle) => ContainerStdin.Open(_checkpoints.Open(handle));

    public ContainerTerminal? OpenTerminal(ContainerHandle handle) => ContainerTerminal.Open(_checkpoints.Open(handle));

    public string LogPath(ContainerHandle handle) => ContainerLogs.PathFor(_options.LogDirectory, handle);

    public async Task RemoveAsync(ContainerHandle handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var bundle = new ContainerDirectory(Path.Combine(_checkpoints.Root, handle.Id));
        if (!Directory.Exists(bundle.Path))
        {
            return;
        }

        if (bundle.ReadCheckpoint() is not null && !bundle.HasExited)
        {
            await StopAsync(handle, TimeSpan.Zero, cancellationToken);
        }

        await DiscardAsync(handle, bundle);
    }

    public async Task<IReadOnlyList<ContainerHandle>> AdoptAsync(CancellationToken cancellationToken)
    {
        var handles = new List<ContainerHandle>();
        foreach (var bundle in _checkpoints.All())
        {
            if (bundle.ReadCheckpoint() is { } checkpoint)
            {
                handles.Add(checkpoint.Handle);
                continue;
            }

            // Interrupted before the checkpoint: nothing was launched, but an image lease may exist.
            RuntimeLog.DiscardedIncomplete(_logger, bundle.Path);
            RootfsBuilder.Release(bundle.Path);
            await _images.ReleaseAsync(bundle.Id, cancellationToken);
            Directory.Delete(bundle.Path, recursive: true);
        }

        RuntimeLog.Adopted(_logger, handles.Count, Name, _checkpoints.Root);
        return handles;
    }

    private async Task<ContainerStatus> ObserveAsync(ContainerDirectory bundle, ContainerCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        var started = bundle.ReadStarted();
        var initPid = bundle.ReadInitPid();
        var runcAlive = started is not null && ProcStat.IsAlive(started.ChildPid, started.ChildStartTime);
        var shimAlive = started is not null && ProcStat.IsAlive(started.ShimPid, started.ShimStartTime);
        // Read after the liveness: the shim writes the exit record before it exits (see ProcessRuntime).
        var exit = bundle.ReadExit();
        if (exit is null && started is not null && !runcAlive && !shimAlive &&
            await _runc.StateAsync(checkpoint.Handle.Id, cancellationToken) is { Status: "running" or "paused" } state)
        {
            // Its runc was killed: the container runs on, orphaned; its exit code will be lost.
            runcAlive = true;
            initPid = state.Pid;
        }

        var oomKills = (exit is null ? null : bundle.ReadOomSnapshot()) ?? Cgroups.Open(checkpoint.CgroupPath).ReadOomKills();
        return ContainerStateResolver.Resolve(new ContainerObservation(
            checkpoint.Handle.CreatedAt,
            started,
            exit,
            runcAlive,
            shimAlive,
            initPid,
            WorkloadStarted: initPid is not null,
            oomKills,
            _time.GetUtcNow(),
            _options.StartTimeout));
    }

    private Task<bool> WaitForExitRecordAsync(ContainerDirectory bundle, TimeSpan timeout, CancellationToken cancellationToken) =>
        Shim.WaitUntilAsync(
            bundle.Path,
            () => bundle.HasExited || bundle.ReadStarted() is not { } s || !ProcStat.IsAlive(s.ShimPid, s.ShimStartTime),
            timeout,
            _time,
            cancellationToken);

    private async Task DiscardAsync(ContainerHandle handle, ContainerDirectory bundle)
    {
        await _runc.DeleteAsync(handle.Id, CancellationToken.None);
        RootfsBuilder.Release(bundle.Path);
        await _images.ReleaseAsync(handle.Id, CancellationToken.None);
        var cgroup = Cgroups.Open(Cgroups.ContainerPath(handle.PodUid, handle.Id));
        await cgroup.KillAllAsync(CancellationToken.None);
        await cgroup.DeleteAsync(CancellationToken.None);
        ContainerLogs.Delete(_options.LogDirectory, LogPath(handle));
        Directory.Delete(bundle.Path, recursive: true);
    }

    /// <summary>Cleans up after a failed start without hiding why it failed.</summary>
    private async Task TryDiscardAsync(ContainerHandle handle, ContainerDirectory bundle)
    {
        try
        {
            await DiscardAsync(handle, bundle);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            RuntimeLog.CleanupFailed(_logger, e, handle.Id);
        }
    }
}
