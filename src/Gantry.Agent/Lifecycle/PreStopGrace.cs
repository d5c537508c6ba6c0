namespace Gantry.Agent.Lifecycle;

/// <summary>
/// What is left of a stop's grace period once the preStop hook has had its share, as kubelet's killContainer counts
/// it: the hook's time in whole seconds (truncated) comes off the grace period, and the container still gets at
/// least 2 s between SIGTERM and SIGKILL.
/// </summary>
public static class PreStopGrace
{
    public static readonly TimeSpan Minimum = TimeSpan.FromSeconds(2);

    public static TimeSpan Remaining(TimeSpan grace, TimeSpan hookTook)
    {
        var left = grace - TimeSpan.FromSeconds(Math.Floor(hookTook.TotalSeconds));
        return left < Minimum ? Minimum : left;
    }
}
