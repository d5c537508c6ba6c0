using System.Globalization;
using System.Text.Json.Nodes;
using Gantry.Server.Api;
using Gantry.Server.Informers;
using Gantry.Server.Kernel;
using Gantry.Server.Registry;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Mesos;

/// <summary>
/// The Mesos master of Gantry's kernel: external frameworks subscribe, get the allocator's offers on their stream and
/// launch tasks as pods by accepting them; it reports each task's state from its pod, and tears a framework down (its
/// tasks killed) when it says so or stays away longer than its failover timeout. The frameworks live in memory; their
/// tasks are pods, so a restarted server finds them again and gives each framework its failover timeout to come back.
/// </summary>
public sealed partial class MesosMaster : BackgroundService
{
    /// <summary>Mesos' <c>--allocation_interval</c>: how often a round runs even if nothing asked for one (filters run out).</summary>
    private static readonly TimeSpan AllocationInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Mesos' <c>--offer_timeout</c>, which Gantry always sets while frameworks share the pool: a framework that holds an
    /// offer without using or declining it would keep the node from the others (the pod scheduler, busy, holds its
    /// offers for as long as it has pods to place) for as long as it held it.
    /// </summary>
    public static readonly TimeSpan OfferTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a framework found again after a restart has, at least, to subscribe before its failover timeout tears
    /// it down: a restart ends every stream at once, and a framework needs a moment to notice and come back.
    /// </summary>
    public static readonly TimeSpan RecoveryGrace = TimeSpan.FromMinutes(2);

    /// <summary>Mesos agents' <c>status_update_retry_interval_min</c>: how long an update waits for its acknowledgement before it is sent again.</summary>
    private static readonly TimeSpan UpdateRetryInterval = TimeSpan.FromSeconds(10);

    private readonly Allocator _allocator;
    private readonly AllocationLoop _allocation;
    private readonly InProcessClient _client;
    private readonly SharedInformers _informers;
    private readonly Informer<V1Namespace> _namespaces;
    private readonly TimeProvider _time;
    private readonly ILogger<MesosMaster> _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, MesosFramework> _frameworks = new(StringComparer.Ordinal);
    private readonly HashSet<string> _removed = new(StringComparer.Ordinal);
    private readonly string _masterId = Guid.NewGuid().ToString();
    private readonly DateTimeOffset _startedAt;
    private readonly Informer<V1Pod> _pods;
    private int _nextFramework;
    private volatile bool _recovered;

    public MesosMaster(Allocator allocator, AllocationLoop allocation, InProcessClient client, SharedInformers informers, TimeProvider time, ILogger<MesosMaster> logger)
    {
        _allocator = allocator;
        _allocation = allocation;
        _client = client;
        _informers = informers;
        _time = time;
        _logger = logger;
        _startedAt = time.GetUtcNow();
        _namespaces = informers.For<V1Namespace>();
        _pods = informers.For<V1Pod>();
        _pods.OnChange(OnPod);
    }

    /// <summary>
    /// Whether the master knows every task again: until the informers have synced after a start, a framework told
    /// nothing of a task would take it for lost (Mesos answers 503 until its recovery ends).
    /// </summary>
    public bool Recovered => _recovered || (_recovered = _informers.WaitForSyncAsync(CancellationToken.None).IsCompletedSuccessfully);

    /// <summary>
    /// A framework's SUBSCRIBE: a new framework gets an id; one that names its id takes its framework back, ending any
    /// stream it had. Returns the new session, which starts with SUBSCRIBED and the updates still unacknowledged; or,
    /// for a framework torn down before, a session that only says so.
    /// </summary>
    public FrameworkSession Subscribe(JsonObject frameworkInfo, string? frameworkId, IReadOnlyCollection<string> suppressedRoles)
    {
        ArgumentNullException.ThrowIfNull(frameworkInfo);
        ArgumentNullException.ThrowIfNull(suppressedRoles);
        var name = frameworkInfo["name"]?.GetValue<string>() ?? "";
        var roles = (frameworkInfo["roles"] as JsonArray)?.Select(r => r?.GetValue<string>()).OfType<string>().ToList() ?? [];
        var role = roles.FirstOrDefault() ?? frameworkInfo["role"]?.GetValue<string>() ?? "*";
        var capabilities = (frameworkInfo["capabilities"] as JsonArray)?.Select(c => c?["type"]?.GetValue<string>()).ToHashSet() ?? [];
        var failover = MesosJson.Number(frameworkInfo["failover_timeout"]) ?? 0;
        var suppressed = suppressedRoles.Count > 0;
        var streamId = Guid.NewGuid().ToString();
        lock (_gate)
        {
            if (frameworkId is not null && _removed.Contains(frameworkId))
            {
                var refused = new FrameworkSession(frameworkId, role, streamId);
                refused.End("Framework has been removed");
                return refused;
            }

            frameworkId ??= NewFrameworkId();
            if (!_frameworks.TryGetValue(frameworkId, out var framework))
            {
                framework = new MesosFramework(frameworkId);
                _frameworks[frameworkId] = framework;
            }

            framework.Name = name;
            framework.Role = role;
            framework.Info = frameworkInfo.DeepClone().AsObject();
            framework.Info["id"] = SchedulerEvents.Id(frameworkId);
            framework.FailoverTimeout = TimeSpan.FromSeconds(Math.Clamp(failover, 0, TimeSpan.MaxValue.TotalSeconds / 2));
            framework.PartitionAware = capabilities.Contains("PARTITION_AWARE");
            framework.KillingState = capabilities.Contains("TASK_KILLING_STATE");
            framework.Session?.End("Framework failed over");
            // The offers made to the previous scheduler go back, and the new one starts unsuppressed, as after Mesos' failoverFramework.
            _allocator.Unregister(frameworkId);
            var session = new FrameworkSession(frameworkId, role, streamId);
            framework.Session = session;
            framework.DisconnectedSince = null;
            framework.RegisteredAt ??= _time.GetUtcNow();
            session.Send(SchedulerEvents.Subscribed(frameworkId));
            framework.ResendPending();
            _allocator.Register(new FrameworkInfo(frameworkId, name, role, RunsOnScalars: true), session);
            if (suppressed)
            {
                _allocator.Suppress(frameworkId);
            }

            Log.Subscribed(_logger, frameworkId, name, role);
            _allocation.Trigger();
            return session;
        }
    }

    /// <summary>The stream ended: the framework's offers go back, and its failover timeout starts.</summary>
    public void Disconnected(FrameworkSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        MesosFramework? expired = null;
        lock (_gate)
        {
            if (!_frameworks.TryGetValue(session.FrameworkId, out var framework) || framework.Session != session)
            {
                return;
            }

            framework.Session = null;
            framework.DisconnectedSince = _time.GetUtcNow();
            _allocator.Unregister(framework.Id);
            Log.Disconnected(_logger, framework.Id, framework.FailoverTimeout.TotalSeconds);
            if (framework.FailoverTimeout <= TimeSpan.Zero)
            {
                expired = framework;
            }
        }

        if (expired is not null)
        {
            _ = TearDownAsync(expired.Id, "its failover timeout passed");
        }
    }

    /// <summary>The framework that a call names, if the call came on its current stream; else the HTTP error Mesos answers.</summary>
    public MesosFramework? Caller(string frameworkId, string? streamId, out MesosCallError? error)
    {
        lock (_gate)
        {
            error = null;
            if (!_frameworks.TryGetValue(frameworkId, out var framework))
            {
                error = new MesosCallError(400, "Framework cannot be found");
                return null;
            }

            if (framework.Session is null)
            {
                error = new MesosCallError(403, "Framework is not subscribed");
                return null;
            }

            if (streamId is null)
            {
                error = new MesosCallError(400, "All non-subscribe calls should include the 'Mesos-Stream-Id' header");
                return null;
            }

            if (streamId != framework.Session.StreamId)
            {
                error = new MesosCallError(
                    400, $"The stream ID '{streamId}' included in this request didn't match the stream ID currently associated with framework ID {frameworkId}");
                return null;
            }

            return framework;
        }
    }

    /// <summary>TEARDOWN, or a failover timeout run out: every task is killed and the framework is forgotten for good.</summary>
    public async Task TearDownAsync(string frameworkId, string why)
    {
        List<string> pods;
        lock (_gate)
        {
            if (!_frameworks.Remove(frameworkId, out var framework))
            {
                return;
            }

            _removed.Add(frameworkId);
            framework.Session?.End("Framework has been removed");
            _allocator.Unregister(frameworkId);
            pods = [.. framework.Tasks.Values.Where(t => t.Pod is not null).Select(t => t.PodName)];
            Log.TornDown(_logger, frameworkId, why, pods.Count);
        }

        // Not the caller's to cancel: a task left running would have no framework. What still fails is swept up each tick.
        await Task.WhenAll(pods.Select(pod => DeletePodAsync(pod, CancellationToken.None))).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _informers.WaitForSyncAsync(stoppingToken).ConfigureAwait(false);
            var lastResend = _time.GetUtcNow();
            using var ticks = new PeriodicTimer(AllocationInterval, _time);
            while (await ticks.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                _allocation.Trigger();
                var now = _time.GetUtcNow();
                List<string> expired;
                lock (_gate)
                {
                    expired = [.. _frameworks.Values
                        .Where(f => f.Session is null && f.DisconnectedSince is { } since && now - since >= f.FailoverTimeout)
                        .Select(f => f.Id)];
                    if (now - lastResend >= UpdateRetryInterval)
                    {
                        lastResend = now;
                        foreach (var framework in _frameworks.Values)
                        {
                            framework.ResendPending();
                        }
                    }
                }

                _allocator.RescindStale(OfferTimeout);
                await DeleteOrphansAsync().ConfigureAwait(false);
                foreach (var id in expired)
                {
                    await TearDownAsync(id, "its failover timeout passed").ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Pods of frameworks torn down whose deletion failed or was never seen: none may outlive its framework.</summary>
    private async Task DeleteOrphansAsync()
    {
        List<string> orphans;
        lock (_gate)
        {
            if (_removed.Count == 0)
            {
                return;
            }

            orphans = [.. _pods.ListInNamespace(TaskPods.Namespace)
                .Where(p => p.Metadata.DeletionTimestamp is null && PodFramework.ExternalFrameworkOf(p) is { } framework && _removed.Contains(framework))
                .Select(p => p.Metadata.Name)];
        }

        await Task.WhenAll(orphans.Select(pod => DeletePodAsync(pod, CancellationToken.None))).ConfigureAwait(false);
    }

    private void OnPod(V1Pod? old, V1Pod? current)
    {
        var pod = current ?? old!;
        if (TaskPods.TaskIdOf(pod) is not { } taskId || PodFramework.ExternalFrameworkOf(pod) is not { } frameworkId)
        {
            return;
        }

        var deleteOrphan = false;
        lock (_gate)
        {
            if (_removed.Contains(frameworkId))
            {
                // A task of a framework torn down (before a restart, or while it was being launched) has no one to run for.
                deleteOrphan = current is not null && current.Metadata.DeletionTimestamp is null;
            }
            else
            {
                Track(FoundAgain(frameworkId, pod), taskId, old, current);
            }
        }

        if (deleteOrphan)
        {
            _ = DeletePodAsync(pod.Metadata.Name, CancellationToken.None);
        }
    }

    /// <summary>The framework of a task's pod; one the master does not know was running before the server started.</summary>
    private MesosFramework FoundAgain(string frameworkId, V1Pod pod)
    {
        if (!_frameworks.TryGetValue(frameworkId, out var framework))
        {
            framework = new MesosFramework(frameworkId)
            {
                Name = pod.Metadata.Annotations?.TryGetValue(TaskPods.FrameworkNameAnnotation, out var name) == true ? name : "",
                FailoverTimeout = TaskPods.FailoverTimeoutOf(pod) is var timeout && timeout > RecoveryGrace ? timeout : RecoveryGrace,
                DisconnectedSince = _time.GetUtcNow(),
            };
            _frameworks[frameworkId] = framework;
        }

        return framework;
    }

    private void Track(MesosFramework framework, string taskId, V1Pod? old, V1Pod? current)
    {
        var pod = current ?? old!;
        var now = _time.GetUtcNow();
        if (!framework.Tasks.TryGetValue(taskId, out var task) || (task.PodName != pod.Metadata.Name && task.Finished && current is not null))
        {
            if (current is null)
            {
                return;
            }

            task = new TaskRecord(taskId, current.Spec.NodeName ?? "", current.Metadata.Name) { Pod = current, Since = now };
            framework.Tasks[taskId] = task;
            var recovered = TaskState.OfPod(current, killRequested: false);
            task.State = recovered;
            if (recovered.IsTerminal && !TaskPods.TerminalUpdateAcknowledged(current))
            {
                framework.Report(task, recovered, now);
            }
            else if (recovered.State != TaskState.Staging.State && !recovered.IsTerminal)
            {
                framework.Report(task, recovered, now);
            }

            return;
        }

        if (task.PodName != pod.Metadata.Name)
        {
            return;
        }

        task.Pod = current;
        if (task.State.IsTerminal)
        {
            if (current is null && task.PendingUuid is null)
            {
                framework.Tasks.Remove(taskId);
            }

            return;
        }

        var state = current is null
            ? TaskState.OfDeletedPod(pod, task.KillRequested, framework.PartitionAware)
            : TaskState.OfPod(current, task.KillRequested);
        if (state.State == task.State.State || (state.State == "TASK_KILLING" && !framework.KillingState))
        {
            return;
        }

        if (task.State == TaskState.Staging && current is not null && TaskState.RanBefore(state, current))
        {
            framework.Report(task, TaskState.Running, now);
        }

        framework.Report(task, state, now);
    }

    private async Task DeletePodAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await _client.DeleteAsync<V1Pod>(TaskPods.Namespace, name, DeleteRequest.Default, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
        }
        catch (ApiException ex)
        {
            Log.DeleteFailed(_logger, name, ex.Message);
        }
    }

    private string NewFrameworkId() =>
        $"{_masterId}-{(++_nextFramework).ToString("D4", CultureInfo.InvariantCulture)}";

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Framework {Framework} ({Name}, role {Role}) subscribed")]
        public static partial void Subscribed(ILogger logger, string framework, string name, string role);

        [LoggerMessage(Level = LogLevel.Information, Message = "Framework {Framework} disconnected; it is torn down unless it subscribes again within {FailoverSeconds} s")]
        public static partial void Disconnected(ILogger logger, string framework, double failoverSeconds);

        [LoggerMessage(Level = LogLevel.Information, Message = "Framework {Framework} torn down ({Why}); killing {Tasks} task(s)")]
        public static partial void TornDown(ILogger logger, string framework, string why, int tasks);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting the pod mesos/{Pod} of a task failed: {Reason}")]
        public static partial void DeleteFailed(ILogger logger, string pod, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Launching task {Task} of framework {Framework} failed: {Reason}")]
        public static partial void LaunchFailed(ILogger logger, string task, string framework, string reason);
    }
}
