namespace Gantry.Bench.PodStartup;

/// <summary>
/// What the bench saw of one pod, as <see cref="System.Diagnostics.Stopwatch"/> timestamps (0 = not
/// seen): the create sent and answered, its ADDED event, the first event with phase Running, and
/// its DELETED event. The watch fills in the events, the creating worker the rest.
/// </summary>
internal sealed class PodTimeline(string name)
{
    public string Name { get; } = name;

    public long Sent { get; set; }

    public long Acknowledged { get; set; }

    public long Added { get; set; }

    public long Running { get; set; }

    /// <summary>The last thing that looked wrong (a waiting reason other than ContainerCreating, a failed phase), for the error column.</summary>
    public string? Problem { get; set; }

    public TaskCompletionSource RunningSeen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource DeletedSeen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
