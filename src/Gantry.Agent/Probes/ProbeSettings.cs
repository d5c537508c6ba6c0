using k8s.Models;

namespace Gantry.Agent.Probes;

/// <summary>
/// The timing of one probe, with the API server's defaults for fields left unset or zero
/// (period 10 s, timeout 1 s, success threshold 1, failure threshold 3).
/// </summary>
/// <param name="InitialDelaySeconds">Whole seconds after the container starts before the first run; kubelet compares truncated seconds.</param>
public sealed record ProbeSettings(int InitialDelaySeconds, TimeSpan Period, TimeSpan Timeout, int SuccessThreshold, int FailureThreshold)
{
    public static ProbeSettings Of(V1Probe probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return new ProbeSettings(
            Math.Max(0, probe.InitialDelaySeconds ?? 0),
            TimeSpan.FromSeconds(Positive(probe.PeriodSeconds, 10)),
            TimeSpan.FromSeconds(Positive(probe.TimeoutSeconds, 1)),
            Positive(probe.SuccessThreshold, 1),
            Positive(probe.FailureThreshold, 3));
    }

    private static int Positive(int? value, int fallback) => value is > 0 ? value.Value : fallback;
}
