using System.Net;
using System.Threading.Channels;
using Gantry.Agent.Cgroups;
using Gantry.Agent.Images;
using Gantry.Agent.Lifecycle;
using Gantry.Agent.Network;
using Gantry.Agent.Probes;
using Gantry.Agent.Runtimes;
using Gantry.Core.Resources;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Pods;

/// <summary>
/// Drives one pod to the state its spec asks for, as the kubelet's pod worker does: network
/// sandbox, init containers in order, then the containers, probes (each container instance's own
/// workers, whose verdicts it reads: a failed liveness or startup probe kills the container, a
/// readiness change re-reports the status at once), postStart hooks, restarts with back-off, status
/// back to the server with termination messages, and on deletion a graceful stop (preStop hooks
/// first), teardown and the final delete. Ephemeral containers (kubectl debug) start once each, in
/// the pod's sandbox, and are stopped and removed with the others.
/// </summary>
public sealed class PodWorker
{
    private static readonly TimeSpan ResyncInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The resync of a pod whose containers all run (their exits watched) or are done for good. What changes such a
    /// pod arrives as an event instead: a watched exit, a probe verdict, an update from the server. This pass only
    /// catches what leaves no event (a shim killed from outside), as the kubelet's syncFrequency does; polling every
    /// pod each second cost the agent about a core per thousand pods.
    /// </summary>
    private static readonly TimeSpan SteadyResyncInterval = TimeSpan.FromSeconds(10);

    /// <summary>How often configMap, secret and downwardAPI volumes are written again, as kubelet's sync period.</summary>
    private static readonly TimeSpan VolumeRefreshInterval = TimeSpan.FromMinutes(1);

    /// <summary>kubelet's floor for the grace period of a container it kills.</summary>
    private const long MinimumGracePeriodSeconds = 2;

    private readonly IKubernetes _client;
    private readonly IReadOnlyDictionary<string, IContainerRuntime> _runtimes;
    private readonly PodNetwork _network;
    private readonly PodSandboxes _sandboxes;
    private readonly ContainerSpecs _specs;
    private readonly string? _hostIp;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Channel<V1Pod> _updates = Channel.CreateBounded<V1Pod>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly PodEvents _events;

    /// <summary>
    /// The Normal events of the containers started in this pass (Pulled, Created, Started), which wait for the pass's
    /// status report: posted at once, the writes competed with the report for the server and held back the Running
    /// status the user waits for.
    /// </summary>
    private readonly List<(string Container, string Reason, string Message)> _startEvents = [];
    private readonly Dictionary<string, ContainerRecord> _records = [];
    private V1Pod _pod;
    private SandboxInfo? _sandbox;
    private string? _reported;
    private bool _steady;
    private readonly DateTime _startTime;

    /// <summary>The labels and annotations the projected volumes were last written for, and when: the containers' start writes them first.</summary>
    private string _volumesWrittenFor;
    private DateTimeOffset _volumesWrittenAt;

    public PodWorker(
        V1Pod pod, IKubernetes client, IReadOnlyDictionary<string, IContainerRuntime> runtimes, PodNetwork network, PodSandboxes sandboxes,
        ContainerSpecs specs, string? hostIp, ILogger logger, TimeProvider time, IEnumerable<ContainerHandle> adopted)
    {
        _pod = pod;
        _client = client;
        _runtimes = runtimes;
        _network = network;
        _sandboxes = sandboxes;
        _specs = specs;
        _hostIp = hostIp;
        _logger = logger;
        _time = time;
        _startTime = pod.Status?.StartTime ?? time.GetUtcNow().UtcDateTime;
        _volumesWrittenFor = MetadataOf(pod);
        _volumesWrittenAt = time.GetUtcNow();
        _events = new PodEvents(client, pod, time, logger);
        foreach (var handle in adopted.OrderBy(h => h.CreatedAt))
        {
            var record = Record(handle.ContainerName);
            if (record.Current is not null)
            {
                record.Previous = record.Current;
                record.RestartCount++;
            }

            record.Current = handle;
        }

        foreach (var status in (pod.Status?.ContainerStatuses ?? []).Concat(pod.Status?.InitContainerStatuses ?? []))
        {
            Record(status.Name).RestartCount = Math.Max(Record(status.Name).RestartCount, status.RestartCount);
        }
    }

    public string Uid => _pod.Uid();

    public string Namespace => _pod.Namespace();

    public string Name => _pod.Name();

    /// <summary>Whether the API server has asked for the pod to stop (it has a deletion timestamp).</summary>
    public bool IsTerminating => _pod.Metadata.DeletionTimestamp is not null;

    /// <summary>The container's current instance (or previous, for <c>logs --previous</c>) and its runtime.</summary>
    public (IContainerRuntime Runtime, ContainerHandle Handle)? Find(string container, bool previous)
    {
        var record = _records.GetValueOrDefault(container);
        var handle = previous ? record?.Previous : record?.Current;
        return handle is null ? null : (RuntimeOf(_pod), handle);
    }

    /// <summary>The pod's IP once its sandbox exists (the node's for host-network pods).</summary>
    public string? PodIp { get; private set; }

    /// <summary>
    /// The instances that have started and not exited, as of the worker's last pass: what the node's usage sampler
    /// reads. Published whole after each pass, so another thread never sees the records change under it.
    /// </summary>
    public IReadOnlyList<ContainerHandle> RunningContainers { get; private set; } = [];

    /// <summary>The first container's name: what kubectl gets when it names none.</summary>
    public string DefaultContainer => _pod.Spec.Containers[0].Name;

    public void Update(V1Pod pod) => _updates.Writer.TryWrite(pod);

    /// <summary>Runs until the pod is gone from the node.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    if (await SyncAsync(cancellationToken).ConfigureAwait(false))
                    {
                        return;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _logger.LogWarning(ex, "Sync of pod {Namespace}/{Pod} failed; retrying", _pod.Namespace(), _pod.Name());
                }

                RunningContainers = _records.Values
                    .Where(r => r.Current is not null && r.Status is not ContainerExited)
                    .Select(r => r.Current!)
                    .ToList();
                await WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await StopProbesAsync().ConfigureAwait(false);
            StopExitWatches();
        }
    }

    /// <summary>Until the resync interval passes, the pod is updated, or a probe's verdict changes.</summary>
    private async Task WaitAsync(CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(_steady ? SteadyResyncInterval : ResyncInterval);
        await Task.WhenAny(_updates.Reader.WaitToReadAsync(wait.Token).AsTask(), _wake.Reader.WaitToReadAsync(wait.Token).AsTask())
            .ConfigureAwait(false);
        await wait.CancelAsync().ConfigureAwait(false);
        _wake.Reader.TryRead(out _);
        if (_updates.Reader.TryRead(out var pod))
        {
            _pod = pod;
        }
    }

    /// <summary>Called by probe workers when a verdict changes, so the next sync comes at once.</summary>
    private void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>One pass; true when the pod has been torn down and deleted.</summary>
    private async Task<bool> SyncAsync(CancellationToken cancellationToken)
    {
        _steady = false;
        var runtime = RuntimeOf(_pod);
        if (_pod.Metadata.DeletionTimestamp is not null)
        {
            await TearDownAsync(runtime, TimeSpan.FromSeconds(_pod.Metadata.DeletionGracePeriodSeconds ?? 30), cancellationToken).ConfigureAwait(false);
            await DeleteFromServerAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }

        if (_pod.Spec.HostNetwork != true && _sandbox is null)
        {
            var inspection = await _network.InspectSandboxAsync(_pod.Uid(), cancellationToken).ConfigureAwait(false);
            _sandbox = inspection.Status == SandboxStatus.Ready
                ? inspection.Sandbox
                : await _network.CreateSandboxAsync(_pod.Uid(), _pod.Name(), _pod.Namespace(), cancellationToken).ConfigureAwait(false);
        }

        var podIp = _pod.Spec.HostNetwork == true ? _hostIp : _sandbox?.PodIp.ToString();
        PodIp = podIp;
        var sandbox = new PodSandboxInfo
        {
            Uid = _pod.Uid(),
            Name = _pod.Name(),
            Namespace = _pod.Namespace(),
            Limits = CgroupLimits.ForPod(_pod.Spec.Containers.Concat(Sidecars.Of(_pod)).Select(ContainerSpecs.LimitsOf)),
            NetworkNamespacePath = _pod.Spec.HostNetwork == true ? null : _sandbox?.NetworkNamespacePath,
        };

        // Once a regular container has started, the pod stays initialized (kubelet's HasAnyRegularContainerStarted):
        // its init containers never run again, and a sidecar that restarts holds nothing back.
        var initialized = _pod.Spec.Containers.Any(c => Record(c.Name).Current is not null);
        var initDone = true;
        foreach (var container in _pod.Spec.InitContainers ?? [])
        {
            var sidecar = Sidecars.Is(container);
            if (initialized && !sidecar)
            {
                continue;
            }

            var record = await SyncContainerAsync(runtime, sandbox, container, podIp, isInit: true, cancellationToken).ConfigureAwait(false);
            var done = sidecar ? IsStarted(record) : record.Status is ContainerExited { ExitCode: 0 };
            if (!initialized && !done)
            {
                initDone = false;
                break;
            }
        }

        foreach (var container in _pod.Spec.Containers)
        {
            var record = Record(container.Name);
            if (initDone)
            {
                await SyncContainerAsync(runtime, sandbox, container, podIp, isInit: false, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                record.WaitingReason ??= "PodInitializing";
            }
        }

        // As kubelet's computePodActions: an ephemeral container may start before the pod is initialized.
        foreach (var container in _pod.Spec.EphemeralContainers ?? [])
        {
            await SyncEphemeralContainerAsync(runtime, sandbox, container, podIp, cancellationToken).ConfigureAwait(false);
        }

        await RefreshVolumesAsync(cancellationToken).ConfigureAwait(false);
        if (initDone && RegularContainersDone())
        {
            await StopSidecarsAsync(runtime, TimeSpan.FromSeconds(_pod.Spec.TerminationGracePeriodSeconds ?? 30), cancellationToken).ConfigureAwait(false);
        }

        var watched = WatchExits(runtime);
        try
        {
            await ReportAsync(podIp, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            PostStartEvents();
        }
        _steady = watched && IsSteady();
        return false;
    }

    private async Task<ContainerRecord> SyncContainerAsync(
        IContainerRuntime runtime, PodSandboxInfo sandbox, V1Container container, string? podIp, bool isInit, CancellationToken cancellationToken)
    {
        var record = Record(container.Name);
        if (record.Current is { } handle)
        {
            record.Status = await runtime.StatusAsync(handle, cancellationToken).ConfigureAwait(false);
            ReadTerminationMessage(runtime, record, container);
            if (!isInit || Sidecars.Is(container))
            {
                await SyncProbesAsync(runtime, record, container, podIp).ConfigureAwait(false);
            }

            if (record.Status is ContainerRunning && record.Probes?.Failed is { } failed)
            {
                await KillForProbeAsync(runtime, record, container, failed, cancellationToken).ConfigureAwait(false);
                record.Status = await runtime.StatusAsync(handle, cancellationToken).ConfigureAwait(false);
                ReadTerminationMessage(runtime, record, container);
                record.Probes?.Observe(record.Status);
            }

            if (record.Status is not ContainerExited exited || !ShouldRestart(container, exited, isInit, record.KilledBy))
            {
                record.WaitingReason = null;
                return record;
            }

            var now = _time.GetUtcNow();
            if (record.WaitingReason != "CrashLoopBackOff")
            {
                var ranFor = exited.FinishedAt - (exited.StartedAt ?? exited.FinishedAt);
                record.RestartNotBefore = exited.FinishedAt + RestartBackoff.Delay(record.RestartCount, ranFor);
            }

            if (now < record.RestartNotBefore)
            {
                // Once per back-off: the pod's passes while it waits would repeat it many times a second.
                if (record.WaitingReason != "CrashLoopBackOff")
                {
                    _events.Warning(container.Name, "BackOff", $"Back-off restarting failed container {container.Name} in pod {_pod.Name()}_{_pod.Namespace()}({_pod.Uid()})");
                }

                record.WaitingReason = "CrashLoopBackOff";
                record.WaitingMessage = $"back-off {RestartBackoff.Delay(record.RestartCount, TimeSpan.Zero).TotalSeconds:0}s restarting failed container={container.Name} pod={_pod.Name()}_{_pod.Namespace()}({_pod.Uid()})";
                return record;
            }

            if (record.Previous is { } older)
            {
                await runtime.RemoveAsync(older, cancellationToken).ConfigureAwait(false);
                record.TerminationMessages.Remove(older.Id);
            }

            record.Previous = handle;
            record.LastTermination = exited;
            record.Current = null;
            record.KilledBy = null;
            record.RestartCount++;
        }

        await StartContainerAsync(runtime, sandbox, container, record, podIp, processNamespaceOf: null, cancellationToken).ConfigureAwait(false);
        if (!isInit || Sidecars.Is(container))
        {
            await SyncProbesAsync(runtime, record, container, podIp).ConfigureAwait(false);
        }

        return record;
    }

    /// <summary>
    /// An ephemeral container is started once and never restarted, has no probes and no hooks (its validation allows
    /// none), as kubelet runs it. Only a start that failed before there was an instance (an image pull) is tried again.
    /// With a target it joins the target's process namespace, which must be running then.
    /// </summary>
    private async Task SyncEphemeralContainerAsync(
        IContainerRuntime runtime, PodSandboxInfo sandbox, V1EphemeralContainer ephemeral, string? podIp, CancellationToken cancellationToken)
    {
        var container = EphemeralContainerCommon.AsContainer(ephemeral);
        var record = Record(container.Name);
        if (record.Current is { } handle)
        {
            record.Status = await runtime.StatusAsync(handle, cancellationToken).ConfigureAwait(false);
            ReadTerminationMessage(runtime, record, container);
            return;
        }

        ContainerHandle? target = null;
        if (!string.IsNullOrEmpty(ephemeral.TargetContainerName) && (target = Record(ephemeral.TargetContainerName).Current) is null)
        {
            record.WaitingReason = "CreateContainerError";
            record.WaitingMessage = $"target container {ephemeral.TargetContainerName} has not been started";
            return;
        }

        await StartContainerAsync(runtime, sandbox, container, record, podIp, target, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts a new instance of the container (its Created and Started events wait for the pass's report).</summary>
    private async Task StartContainerAsync(
        IContainerRuntime runtime, PodSandboxInfo sandbox, V1Container container, ContainerRecord record, string? podIp, ContainerHandle? processNamespaceOf,
        CancellationToken cancellationToken)
    {
        try
        {
            var messageFile = _specs.CreateTerminationMessageFile(_pod, container);
            var spec = await _specs.BuildAsync(_pod, container, podIp, _hostIp, messageFile, cancellationToken).ConfigureAwait(false);
            spec = spec with { ImageEvents = ImageEvents(container.Name), ProcessNamespaceOf = processNamespaceOf };
            record.Current = await runtime.StartAsync(sandbox, spec, cancellationToken).ConfigureAwait(false);
            if (messageFile is not null)
            {
                TerminationMessageFiles.Keep(messageFile, record.Current);
            }

            _startEvents.Add((container.Name, "Created", $"Created container: {container.Name}"));
            _startEvents.Add((container.Name, "Started", $"Started container {container.Name}"));
            await RunPostStartAsync(runtime, record.Current, container, podIp, cancellationToken).ConfigureAwait(false);
            record.Status = await runtime.StatusAsync(record.Current, cancellationToken).ConfigureAwait(false);
            ReadTerminationMessage(runtime, record, container);
            record.WaitingReason = null;
            record.WaitingMessage = null;
        }
        catch (VolumeSetupException ex)
        {
            _events.Warning(null, "FailedMount", ex.Message);
            record.WaitingReason = VolumeSetupException.Reason;
            record.WaitingMessage = null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or HttpOperationException or Images.ImageNotFoundException
                                       or ContainerConfigException)
        {
            record.WaitingReason = ex switch
            {
                Images.ImagePullException pull => pull.Reason,
                ContainerConfigException => ContainerConfigException.Reason,
                _ => "CreateContainerError",
            };
            record.WaitingMessage = ex.Message;
            _events.Warning(container.Name, "Failed", $"Error: {(ex is Images.ImagePullException ? record.WaitingReason : ex.Message)}");
        }
    }

    /// <summary>Runs the container's postStart hook (<see cref="PostStartHook"/>), whose failure kills the container.</summary>
    private async Task RunPostStartAsync(IContainerRuntime runtime, ContainerHandle handle, V1Container container, string? podIp, CancellationToken cancellationToken)
    {
        var seconds = _pod.Metadata.DeletionGracePeriodSeconds ?? _pod.Spec.TerminationGracePeriodSeconds ?? 30;
        var grace = TimeSpan.FromSeconds(Math.Max(seconds, MinimumGracePeriodSeconds));
        await new PostStartHook(runtime, _time).RunAsync(_pod, container, handle, podIp, grace, failure =>
            {
                _logger.LogWarning("PostStart hook of container {Container} of pod {Namespace}/{Pod} failed: {Message}",
                    container.Name, _pod.Namespace(), _pod.Name(), failure);

                // Created and Started come first, as kubelet posts them before it runs the hook; the hook's output
                // stays out of the event lest it leak a secret.
                PostStartEvents();
                _events.Warning(container.Name, "FailedPostStartHook", "PostStartHook failed");
                _events.Normal(container.Name, "Killing", "FailedPostStartHook");
            }, PreStopFailed(container.Name), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Logs a failed preStop hook and posts kubelet's event, which leaves the hook's output out lest it leak a secret.</summary>
    private Action<string> PreStopFailed(string container) => message =>
    {
        _logger.LogWarning("PreStop hook of container {Container} of pod {Namespace}/{Pod} failed: {Message}", container, _pod.Namespace(), _pod.Name(), message);
        _events.Warning(container, "FailedPreStopHook", "PreStopHook failed");
    };

    /// <summary>Reads the termination message of the current instance once it has exited, once.</summary>
    private void ReadTerminationMessage(IContainerRuntime runtime, ContainerRecord record, V1Container container)
    {
        if (record.Status is ContainerExited exited && record.Current is { } handle && !record.TerminationMessages.ContainsKey(handle.Id))
        {
            record.TerminationMessages[handle.Id] = TerminationMessage.Read(
                _specs.TerminationMessageFile(_pod, handle), container.TerminationMessagePolicy, exited.ExitCode, runtime.LogPath(handle));
        }
    }

    private void PostStartEvents()
    {
        foreach (var (container, reason, message) in _startEvents)
        {
            _events.Normal(container, reason, message);
        }

        _startEvents.Clear();
    }

    /// <summary>
    /// Posts the image manager's events: a warning, a back-off or a pull in progress at once, for the user waiting on it;
    /// a Pulled with the container's Created and Started, after the pass's report.
    /// </summary>
    private Action<ImageEvent> ImageEvents(string container) => e =>
    {
        if (!e.Warning && e.Reason == "Pulled")
        {
            _startEvents.Add((container, e.Reason, e.Message));
        }
        else if (e.Warning)
        {
            _events.Warning(container, e.Reason, e.Message);
        }
        else
        {
            _events.Normal(container, e.Reason, e.Message);
        }
    };

    /// <summary>Watches the exit of every container's current instance; false when one could not be watched.</summary>
    private bool WatchExits(IContainerRuntime runtime)
    {
        var all = true;
        foreach (var record in _records.Values)
        {
            if (record.ExitWatch is { } watch && watch.Handle == record.Current)
            {
                continue;
            }

            record.ExitWatch?.Watch.Dispose();
            record.ExitWatch = null;
            if (record.Current is not { } handle)
            {
                continue;
            }

            try
            {
                record.ExitWatch = (handle, runtime.WatchExit(handle, Wake));
            }
            catch (Exception ex) when (ex is ContainerNotFoundException or IOException)
            {
                // Removed meanwhile, or not watchable: the next pass, a second from now, sees what became of it.
                all = false;
            }
        }

        return all;
    }

    private void StopExitWatches()
    {
        foreach (var record in _records.Values)
        {
            record.ExitWatch?.Watch.Dispose();
            record.ExitWatch = null;
        }
    }

    /// <summary>
    /// Writes the pod's projected volumes again once a minute, and at once when its labels or annotations changed (the
    /// downward API shows them); a missing config map or secret leaves the files as they were, with kubelet's FailedMount.
    /// </summary>
    private async Task RefreshVolumesAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var metadata = MetadataOf(_pod);
        if (!PodVolumes.HasProjectedFiles(_pod) || (metadata == _volumesWrittenFor && now - _volumesWrittenAt < VolumeRefreshInterval))
        {
            return;
        }

        _volumesWrittenFor = metadata;
        _volumesWrittenAt = now;
        try
        {
            await _specs.RefreshVolumesAsync(_pod, cancellationToken).ConfigureAwait(false);
        }
        catch (VolumeSetupException ex)
        {
            _events.Warning(null, "FailedMount", ex.Message);
        }
    }

    private static string MetadataOf(V1Pod pod) =>
        KubernetesJson.Serialize(new { pod.Metadata.Labels, pod.Metadata.Annotations });

    /// <summary>Every init container done, every container running or ended for good: nothing is due at a set time.</summary>
    private bool IsSteady() =>
        (_pod.Spec.InitContainers ?? []).All(c => Sidecars.Is(c) ? IsSettled(c, isInit: true) : Record(c.Name).Status is ContainerExited { ExitCode: 0 }) &&
        _pod.Spec.Containers.All(c => IsSettled(c, isInit: false)) &&
        (_pod.Spec.EphemeralContainers ?? []).All(c => Record(c.Name).Current is not null);

    /// <summary>Running, or ended for good, and waiting for nothing.</summary>
    private bool IsSettled(V1Container container, bool isInit) =>
        Record(container.Name) is { WaitingReason: null } record &&
        (record.Status is ContainerRunning ||
         (record.Status is ContainerExited exited && !ShouldRestart(container, exited, isInit, record.KilledBy)));

    /// <summary>
    /// A container killed for a failed probe restarts unless the pod never restarts, whatever its exit code. A sidecar
    /// restarts whatever the pod's policy, until the regular containers are done.
    /// </summary>
    private bool ShouldRestart(V1Container container, ContainerExited exited, bool isInit, ProbeKind? killedBy)
    {
        if (isInit && Sidecars.Is(container))
        {
            return !RegularContainersDone();
        }

        return (_pod.Spec.RestartPolicy ?? "Always") switch
        {
            "Always" => !isInit || exited.ExitCode != 0,
            "OnFailure" => exited.ExitCode != 0 || killedBy is not null,
            _ => false,
        };
    }

    /// <summary>Every regular container has run and exited for good: the pod is completing, and its sidecars stop.</summary>
    private bool RegularContainersDone() =>
        _pod.Spec.Containers.All(c => Record(c.Name) is { Current: not null, Status: ContainerExited exited } record &&
                                      !ShouldRestart(c, exited, isInit: false, record.KilledBy));

    /// <summary>Running, and past its startup probe: what lets the init container after a sidecar start.</summary>
    private static bool IsStarted(ContainerRecord record) =>
        record is { WaitingReason: null, Status: ContainerRunning } && (record.Probes?.IsStarted ?? true);

    /// <summary>Stops the running sidecars once the regular containers are done, last first, as kubelet does.</summary>
    private async Task StopSidecarsAsync(IContainerRuntime runtime, TimeSpan grace, CancellationToken cancellationToken)
    {
        var began = _time.GetTimestamp();
        foreach (var container in Sidecars.Of(_pod).Reverse())
        {
            var record = Record(container.Name);
            if (record.Current is { } handle && record.Status is ContainerRunning)
            {
                // Its probes stop first: nothing restarts or un-readies a sidecar that is being stopped.
                if (record.Probes is { } probes)
                {
                    record.Probes = null;
                    await probes.DisposeAsync().ConfigureAwait(false);
                }

                await StopAsync(runtime, container, record, grace - _time.GetElapsedTime(began), cancellationToken).ConfigureAwait(false);
                record.Status = await runtime.StatusAsync(handle, cancellationToken).ConfigureAwait(false);
                ReadTerminationMessage(runtime, record, container);
            }
        }
    }

    /// <summary>Stops one container for its pod's end: kubelet's Killing event, its preStop hook, then SIGTERM and SIGKILL.</summary>
    private Task StopAsync(IContainerRuntime runtime, V1Container? container, ContainerRecord record, TimeSpan grace, CancellationToken cancellationToken)
    {
        _events.Normal(record.Name, "Killing", $"Stopping container {record.Name}");
        var remaining = grace > TimeSpan.Zero ? grace : TimeSpan.Zero;
        return container is null
            ? runtime.StopAsync(record.Current!, remaining, cancellationToken)
            : new ContainerKiller(runtime, _time).KillAsync(_pod, container, record.Current!, PodIp, remaining, PreStopFailed(record.Name), cancellationToken);
    }

    /// <summary>Gives the current instance its probe workers (replacing those of an earlier instance) and publishes its state to them.</summary>
    private async Task SyncProbesAsync(IContainerRuntime runtime, ContainerRecord record, V1Container container, string? podIp)
    {
        if (record.Probes is { } probes && probes.Handle != record.Current)
        {
            record.Probes = null;
            await probes.DisposeAsync().ConfigureAwait(false);
        }

        if (record.Probes is null && record.Current is { } handle && ContainerProbes.Declared(container))
        {
            record.Probes = new ContainerProbes(handle, record.Status, container, podIp, runtime, _events, Wake, _time, _logger);
            record.Probes.Start();
        }

        record.Probes?.Observe(record.Status);
    }

    /// <summary>
    /// Kills a container whose liveness or startup probe failed, as kubelet does: with the probe's
    /// terminationGracePeriodSeconds if it sets one, else the pod's, and never less than 2 s.
    /// </summary>
    private async Task KillForProbeAsync(IContainerRuntime runtime, ContainerRecord record, V1Container container, ProbeKind failed, CancellationToken cancellationToken)
    {
        var seconds = record.Probes?.Spec(failed)?.TerminationGracePeriodSeconds ?? _pod.Spec.TerminationGracePeriodSeconds ?? 30;
        var grace = TimeSpan.FromSeconds(Math.Max(seconds, MinimumGracePeriodSeconds));
        var message = $"Container {container.Name} failed {(failed == ProbeKind.Startup ? "startup" : "liveness")} probe";
        if (_pod.Spec.RestartPolicy != "Never")
        {
            message += ", will be restarted";
        }

        _logger.LogInformation("Killing container {Container} of pod {Namespace}/{Pod} within {Grace}: {Message}",
            container.Name, _pod.Namespace(), _pod.Name(), grace, message);
        _events.Normal(container.Name, "Killing", message);
        record.KilledBy = failed;
        await new ContainerKiller(runtime, _time).KillAsync(_pod, container, record.Current!, PodIp, grace, PreStopFailed(container.Name), cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task StopProbesAsync()
    {
        foreach (var record in _records.Values)
        {
            if (record.Probes is { } probes)
            {
                record.Probes = null;
                await probes.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task ReportAsync(string? podIp, CancellationToken cancellationToken, bool terminal = false)
    {
        var init = (_pod.Spec.InitContainers ?? []).Select(c => Record(c.Name)).ToList();
        var containers = _pod.Spec.Containers.Select(c => Record(c.Name)).ToList();
        var ephemeral = (_pod.Spec.EphemeralContainers ?? []).Select(c => Record(c.Name)).ToList();
        var status = PodStatusBuilder.Build(_pod, init, containers, podIp, _hostIp, _startTime, _time.GetUtcNow().UtcDateTime, terminal, ephemeral);
        var body = KubernetesJson.Serialize(new { status });
        if (body == _reported)
        {
            return;
        }

        await _client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(body, V1Patch.PatchType.MergePatch), _pod.Name(), _pod.Namespace(),
            cancellationToken: cancellationToken).ConfigureAwait(false);
        _reported = body;
    }

    /// <summary>Probes stop first: nothing kills or un-readies a container its pod is already stopping.</summary>
    private async Task TearDownAsync(IContainerRuntime runtime, TimeSpan grace, CancellationToken cancellationToken)
    {
        await StopProbesAsync().ConfigureAwait(false);
        var running = _records.Values.Where(r => r.Current is not null && r.Status is not ContainerExited).ToList();
        // The regular containers stop together, then the sidecars, last first, in what is left of the grace period.
        var sidecars = Sidecars.Of(_pod).Select(c => c.Name).Reverse().ToList();
        var began = _time.GetTimestamp();
        await Task.WhenAll(running.Where(r => !sidecars.Contains(r.Name)).Select(r => StopAsync(runtime, SpecOf(r.Name), r, grace, cancellationToken)))
            .ConfigureAwait(false);
        foreach (var record in sidecars.Select(name => running.FirstOrDefault(r => r.Name == name)).OfType<ContainerRecord>())
        {
            await StopAsync(runtime, SpecOf(record.Name), record, grace - _time.GetElapsedTime(began), cancellationToken).ConfigureAwait(false);
        }

        if (running.Count > 0)
        {
            await ReportStoppedAsync(runtime, cancellationToken).ConfigureAwait(false);
        }

        foreach (var record in _records.Values)
        {
            foreach (var handle in new[] { record.Current, record.Previous })
            {
                if (handle is not null)
                {
                    await runtime.RemoveAsync(handle, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        await _sandboxes.RemoveAsync(_pod.Uid(), cancellationToken).ConfigureAwait(false);
        await _network.DeleteSandboxAsync(_pod.Uid(), cancellationToken).ConfigureAwait(false);
        _specs.RemoveVolumes(_pod.Uid());
    }

    /// <summary>
    /// The status of a pod whose containers were stopped for its deletion, as the kubelet reports it before the pod
    /// goes: each container terminated and not ready, and the pod in a terminal phase. A pod a finalizer keeps is
    /// seen so until the finalizer goes.
    /// </summary>
    private async Task ReportStoppedAsync(IContainerRuntime runtime, CancellationToken cancellationToken)
    {
        foreach (var record in _records.Values.Where(r => r.Current is not null))
        {
            record.Status = await runtime.StatusAsync(record.Current!, cancellationToken).ConfigureAwait(false);
            record.WaitingReason = null;
            if (SpecOf(record.Name) is { } container)
            {
                ReadTerminationMessage(runtime, record, container);
            }
        }

        try
        {
            await ReportAsync(PodIp, cancellationToken, terminal: true).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            // Gone already (deleted with a grace period of 0): nothing to report to.
        }
    }

    private async Task DeleteFromServerAsync(CancellationToken cancellationToken)
    {
        try
        {
            var options = new V1DeleteOptions { GracePeriodSeconds = 0, Preconditions = new V1Preconditions { Uid = _pod.Uid() } };
            await _client.CoreV1.DeleteNamespacedPodAsync(_pod.Name(), _pod.Namespace(), options, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
        }
    }

    /// <summary>Pods name a RuntimeClass whose handler is the runtime; no class means an OCI container.</summary>
    private IContainerRuntime RuntimeOf(V1Pod pod) =>
        _runtimes.TryGetValue(pod.Spec.RuntimeClassName ?? "oci", out var runtime)
            ? runtime
            : throw new InvalidOperationException($"RuntimeClass \"{pod.Spec.RuntimeClassName}\" has no handler on this node");

    /// <summary>The container of the pod's spec that <paramref name="name"/> names, init, regular or ephemeral.</summary>
    private V1Container? SpecOf(string name) =>
        _pod.Spec.Containers.Concat(_pod.Spec.InitContainers ?? []).FirstOrDefault(c => c.Name == name) ??
        (_pod.Spec.EphemeralContainers ?? []).Where(c => c.Name == name).Select(EphemeralContainerCommon.AsContainer).FirstOrDefault();

    private ContainerRecord Record(string name)
    {
        if (!_records.TryGetValue(name, out var record))
        {
            record = new ContainerRecord(name);
            _records[name] = record;
        }

        return record;
    }
}
