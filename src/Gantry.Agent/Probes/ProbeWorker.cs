using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Probes;

/// <summary>
/// Runs one probe of one container instance on its own timer (every period, or at once when
/// triggered), feeding the handler's results to its <see cref="ProbeStateMachine"/> and calling
/// back when the verdict changes. Never blocks the pod's sync loop, which only reads
/// <see cref="Verdict"/>.
/// </summary>
internal sealed class ProbeWorker(
    ProbeStateMachine machine,
    Func<ProbeObservation> observe,
    Func<CancellationToken, Task<ProbeOutcome>> run,
    Action<ProbeWorker, ProbeOutcome> ran,
    Action<ProbeWorker> changed,
    TimeProvider time,
    ILogger logger,
    string container)
{
    private TaskCompletionSource _trigger = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile int _verdict = (int)machine.Verdict;

    public ProbeKind Kind => machine.Kind;

    public ProbeVerdict Verdict => (ProbeVerdict)_verdict;

    /// <summary>Probes at once instead of at the next tick (kubelet's manual trigger).</summary>
    public void Trigger() => Volatile.Read(ref _trigger).TrySetResult();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(machine.Settings.Period, time);
        Task<bool>? tick = null;
        while (true)
        {
            if (await TickAsync(cancellationToken).ConfigureAwait(false) == ProbeStep.Stop)
            {
                return;
            }

            tick ??= timer.WaitForNextTickAsync(cancellationToken).AsTask();
            var trigger = Volatile.Read(ref _trigger);
            if (await Task.WhenAny(tick, trigger.Task).ConfigureAwait(false) == tick)
            {
                if (!await tick.ConfigureAwait(false))
                {
                    return;
                }

                tick = null;
            }
            else
            {
                Interlocked.CompareExchange(ref _trigger, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), trigger);
            }
        }
    }

    private async Task<ProbeStep> TickAsync(CancellationToken cancellationToken)
    {
        var before = machine.Verdict;
        var step = ProbeStep.Wait;
        try
        {
            step = machine.Next(observe(), time.GetUtcNow());
            if (step == ProbeStep.Probe)
            {
                var outcome = await run(cancellationToken).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                ran(this, outcome);
                if (outcome.Error is not null)
                {
                    ProbeLog.Errored(logger, Kind, container, outcome.Error);
                }
                else
                {
                    machine.Record(outcome.Result is ProbeResult.Success or ProbeResult.Warning ? ProbeVerdict.Success : ProbeVerdict.Failure);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ProbeLog.TickFailed(logger, ex, Kind, container);
        }

        if (machine.Verdict != before)
        {
            _verdict = (int)machine.Verdict;
            changed(this);
        }

        return step;
    }
}
