using Gantry.Agent.Pods;
using Gantry.Agent.Runtimes;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Probes;

/// <summary>
/// The probes of one container instance: a worker per probe the container declares, each on its
/// own timer, all stopped when this is disposed (the instance was replaced, or its pod is being
/// torn down). The pod worker publishes the container's state with <see cref="Observe"/> and
/// reads <see cref="IsStarted"/>, <see cref="IsReady"/> and <see cref="Failed"/>; when one of
/// them changes it is called back so that the status goes out at once.
/// </summary>
public sealed class ContainerProbes : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<ProbeWorker> _workers = [];
    private readonly List<Task> _running = [];
    private readonly ProbeWorker? _liveness;
    private readonly ProbeWorker? _readiness;
    private readonly ProbeWorker? _startup;
    private readonly V1Container _container;
    private readonly PodEvents? _events;
    private readonly Action _changed;
    private readonly ILogger _logger;
    private volatile ContainerStatus? _status;

    public ContainerProbes(
        ContainerHandle handle, ContainerStatus? status, V1Container container, string? podIp, IContainerRuntime runtime,
        PodEvents? events, Action changed, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(container);
        Handle = handle;
        _status = status;
        _container = container;
        _events = events;
        _changed = changed;
        _logger = logger;
        _liveness = Worker(ProbeKind.Liveness, container.LivenessProbe);
        _readiness = Worker(ProbeKind.Readiness, container.ReadinessProbe);
        _startup = Worker(ProbeKind.Startup, container.StartupProbe);

        ProbeWorker? Worker(ProbeKind kind, V1Probe? probe)
        {
            if (probe is null)
            {
                return null;
            }

            var runner = new ProbeRunner(probe, container, podIp, runtime, handle);
            var worker = new ProbeWorker(new ProbeStateMachine(kind, ProbeSettings.Of(probe)), Observation, runner.RunAsync, Ran, Changed, time, logger, container.Name);
            _workers.Add(worker);
            return worker;
        }
    }

    /// <summary>The container instance these probes watch.</summary>
    public ContainerHandle Handle { get; }

    /// <summary>Whether a container declares any probe, and so needs workers at all.</summary>
    public static bool Declared(V1Container container)
    {
        ArgumentNullException.ThrowIfNull(container);
        return container.LivenessProbe is not null || container.ReadinessProbe is not null || container.StartupProbe is not null;
    }

    /// <summary>The startup probe has succeeded, or there is none (a container with none has started once it runs).</summary>
    public bool IsStarted => _startup is null || _startup.Verdict == ProbeVerdict.Success;

    /// <summary>Started, and the readiness probe has succeeded, or there is none.</summary>
    public bool IsReady => IsStarted && (_readiness is null || _readiness.Verdict == ProbeVerdict.Success);

    /// <summary>The probe whose failure means the container must be killed: startup or liveness; null while neither failed.</summary>
    public ProbeKind? Failed =>
        _startup?.Verdict == ProbeVerdict.Failure ? ProbeKind.Startup
        : _liveness?.Verdict == ProbeVerdict.Failure ? ProbeKind.Liveness
        : null;

    /// <summary>The declared probe of a kind (for its terminationGracePeriodSeconds).</summary>
    public V1Probe? Spec(ProbeKind kind) => kind switch
    {
        ProbeKind.Liveness => _container.LivenessProbe,
        ProbeKind.Readiness => _container.ReadinessProbe,
        _ => _container.StartupProbe,
    };

    /// <summary>Publishes the container's latest state to the workers.</summary>
    public void Observe(ContainerStatus? status) => _status = status;

    public void Start()
    {
        foreach (var worker in _workers)
        {
            _running.Add(Task.Run(() => worker.RunAsync(_stop.Token), CancellationToken.None));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_running).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private ProbeObservation Observation()
    {
        var status = _status;
        var running = status as ContainerRunning;
        return new ProbeObservation(running is not null, status is ContainerExited, running?.StartedAt, IsStarted);
    }

    private void Ran(ProbeWorker worker, ProbeOutcome outcome)
    {
        if (_events is null)
        {
            return;
        }

        if (outcome.Error is not null)
        {
            _events.Warning(_container.Name, "Unhealthy", $"{worker.Kind} probe errored and resulted in {Go(outcome.Result)} state: {outcome.Error}");
        }
        else if (outcome.Result == ProbeResult.Warning)
        {
            _events.Warning(_container.Name, "ProbeWarning", $"{worker.Kind} probe warning: {outcome.Output}");
        }
        else if (outcome.Result != ProbeResult.Success)
        {
            _events.Warning(_container.Name, "Unhealthy", $"{worker.Kind} probe failed: {outcome.Output}");
        }
    }

    private void Changed(ProbeWorker worker)
    {
        ProbeLog.VerdictChanged(_logger, worker.Kind, _container.Name, Handle.Id, worker.Verdict);
        if (worker == _startup && worker.Verdict == ProbeVerdict.Success)
        {
            _readiness?.Trigger();
        }

        _changed();
    }

    /// <summary>pkg/probe's Result as kubelet prints it in events.</summary>
    private static string Go(ProbeResult result) => result switch
    {
        ProbeResult.Success => "success",
        ProbeResult.Warning => "warning",
        ProbeResult.Failure => "failure",
        _ => "unknown",
    };
}
