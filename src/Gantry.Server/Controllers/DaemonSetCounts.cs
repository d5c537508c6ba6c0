namespace Gantry.Server.Controllers;

/// <summary>A DaemonSet's status numbers, as <c>updateDaemonSetStatus</c> counts them.</summary>
public sealed record DaemonSetCounts(
    int DesiredNumberScheduled,
    int CurrentNumberScheduled,
    int NumberMisscheduled,
    int NumberReady,
    int UpdatedNumberScheduled,
    int NumberAvailable)
{
    public int NumberUnavailable => DesiredNumberScheduled - NumberAvailable;
}
