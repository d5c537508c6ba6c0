namespace Gantry.Agent.Pods;

/// <summary>
/// The kubelet's crash-loop back-off: 10 s after the first failure, doubling up to 5 minutes,
/// forgotten once a container has run for 10 minutes. A pure function of the restart history.
/// </summary>
public static class RestartBackoff
{
    private static readonly TimeSpan Initial = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Maximum = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ResetAfter = TimeSpan.FromMinutes(10);

    /// <summary>How long to wait before restarting a container that exited after running <paramref name="ranFor"/>.</summary>
    public static TimeSpan Delay(int restartCount, TimeSpan ranFor)
    {
        if (restartCount == 0 || ranFor >= ResetAfter)
        {
            return TimeSpan.Zero;
        }

        var delay = Initial * Math.Pow(2, Math.Min(restartCount - 1, 10));
        return delay < Maximum ? delay : Maximum;
    }
}
