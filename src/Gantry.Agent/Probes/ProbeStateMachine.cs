namespace Gantry.Agent.Probes;

/// <summary>
/// The kubelet's probe worker logic for one probe of one container instance, without I/O or
/// clocks: it says at each tick whether to run the handler, and turns runs of results into a
/// standing <see cref="Verdict"/> once they reach the success or failure threshold. Readiness
/// starts as <see cref="ProbeVerdict.Failure"/> (not ready until proven), liveness as
/// <see cref="ProbeVerdict.Success"/> (alive until proven dead), startup as
/// <see cref="ProbeVerdict.Unknown"/>. Liveness and readiness wait for the startup probe; a
/// liveness or startup failure puts the probe on hold, as the container is about to be killed.
/// </summary>
public sealed class ProbeStateMachine(ProbeKind kind, ProbeSettings settings)
{
    private ProbeVerdict _lastResult = ProbeVerdict.Unknown;
    private int _resultRun;

    public ProbeKind Kind { get; } = kind;

    public ProbeSettings Settings { get; } = settings;

    public ProbeVerdict Verdict { get; private set; } = kind switch
    {
        ProbeKind.Readiness => ProbeVerdict.Failure,
        ProbeKind.Liveness => ProbeVerdict.Success,
        _ => ProbeVerdict.Unknown,
    };

    /// <summary>True after a liveness or startup failure: nothing more is probed on this instance.</summary>
    public bool OnHold { get; private set; }

    /// <summary>What to do at a tick, given the container as it is at <paramref name="now"/>.</summary>
    public ProbeStep Next(ProbeObservation container, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(container);
        if (OnHold)
        {
            return ProbeStep.Wait;
        }

        if (!container.Running)
        {
            if (!container.Exited)
            {
                return ProbeStep.Wait;
            }

            Verdict = ProbeVerdict.Failure;
            return ProbeStep.Stop;
        }

        if (container.StartedAt is { } startedAt && (int)(now - startedAt).TotalSeconds < Settings.InitialDelaySeconds)
        {
            return ProbeStep.Wait;
        }

        // The startup probe runs until the container has started; the others only after.
        return container.Started == (Kind == ProbeKind.Startup) ? ProbeStep.Wait : ProbeStep.Probe;
    }

    /// <summary>Counts one run's result (<see cref="ProbeVerdict.Success"/> or <see cref="ProbeVerdict.Failure"/>); true when the verdict changed.</summary>
    public bool Record(ProbeVerdict result)
    {
        if (result == ProbeVerdict.Unknown)
        {
            throw new ArgumentOutOfRangeException(nameof(result), result, "a probe run either succeeds or fails");
        }

        if (result == _lastResult)
        {
            _resultRun++;
        }
        else
        {
            _lastResult = result;
            _resultRun = 1;
        }

        var threshold = result == ProbeVerdict.Failure ? Settings.FailureThreshold : Settings.SuccessThreshold;
        if (_resultRun < threshold)
        {
            return false;
        }

        var changed = Verdict != result;
        Verdict = result;
        if (Kind is ProbeKind.Liveness or ProbeKind.Startup && result == ProbeVerdict.Failure)
        {
            OnHold = true;
            _resultRun = 0;
        }

        return changed;
    }
}
