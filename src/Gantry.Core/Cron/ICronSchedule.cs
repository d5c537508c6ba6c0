namespace Gantry.Core.Cron;

/// <summary>A parsed cron schedule, as robfig/cron's <c>Schedule</c>.</summary>
public interface ICronSchedule
{
    /// <summary>The first activation strictly after <paramref name="time"/>, or null when none comes within five years.</summary>
    DateTimeOffset? Next(DateTimeOffset time);
}
