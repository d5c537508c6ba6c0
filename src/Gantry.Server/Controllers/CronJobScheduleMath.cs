using Gantry.Core.Cron;

namespace Gantry.Server.Controllers;

/// <summary>
/// kube's <c>mostRecentScheduleTime</c> and <c>nextScheduleTimeDuration</c>: which scheduled time a CronJob should run
/// now, and when to look at it again. Pure over the schedule and the times given.
/// </summary>
internal static class CronJobScheduleMath
{
    /// <summary>Past this many missed times, kube warns (TooManyMissedTimes) and still runs only the latest.</summary>
    public const int ManyMissed = 100;

    /// <summary>kube's <c>nextScheduleDelta</c>: the requeue lands this long after the schedule, against clock skew.</summary>
    public static readonly TimeSpan NextScheduleDelta = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The latest scheduled time after <paramref name="earliest"/> (the last schedule time, else the creation time,
    /// moved up to now less the starting deadline when one is given) and not after <paramref name="now"/>. The
    /// missed times are counted roughly, as kube does, from the interval between the first two; an interval under a
    /// second (a schedule that never fires, such as 31 February) is an error.
    /// </summary>
    public static ScheduleLookup MostRecent(ICronSchedule schedule, DateTimeOffset earliest, long? startingDeadlineSeconds, DateTimeOffset now)
    {
        if (startingDeadlineSeconds is { } deadline && now.AddSeconds(-deadline) > earliest)
        {
            earliest = now.AddSeconds(-deadline);
        }

        var t1 = schedule.Next(earliest);
        var t2 = t1 is null ? null : schedule.Next(t1.Value);
        if (t1 is { } first && now < first)
        {
            return new ScheduleLookup(earliest, null, 0, null);
        }

        if (t2 is { } second && now < second)
        {
            return new ScheduleLookup(earliest, t1, 0, null);
        }

        var between = t1 is null || t2 is null ? 0 : (long)Math.Round((t2.Value - t1.Value).TotalSeconds, MidpointRounding.AwayFromZero);
        if (between < 1)
        {
            return new ScheduleLookup(earliest, null, 0, "time difference between two schedules is less than 1 second");
        }

        var elapsed = (long)(now - t1!.Value).TotalSeconds;
        var missed = (elapsed / between) + 1;
        // One interval before the estimate, so that irregular schedules (such as "30 6-16/4 * * 1-5") are walked exactly.
        DateTimeOffset? mostRecent = null;
        for (var t = schedule.Next(t1.Value.AddSeconds((missed - 2) * between)); t is { } next && next <= now; t = schedule.Next(next))
        {
            mostRecent = next;
        }

        return new ScheduleLookup(earliest, mostRecent, missed, null);
    }

    /// <summary>How long until the CronJob's next scheduled time (plus <see cref="NextScheduleDelta"/>); null if it has none.</summary>
    public static TimeSpan? UntilNext(ICronSchedule schedule, DateTimeOffset earliest, DateTimeOffset now)
    {
        var lookup = MostRecent(schedule, earliest, null, now);
        var from = lookup.Error is not null ? now
            : lookup.MostRecent ?? (lookup.Missed == 0 ? lookup.Earliest : now);
        return schedule.Next(from) is { } next ? next + NextScheduleDelta - now : null;
    }
}
