namespace Gantry.Core.Cron;

/// <summary>
/// <c>@every &lt;duration&gt;</c> (robfig/cron's <c>ConstantDelaySchedule</c>): the next activation is a fixed delay
/// after the given time, rounded down to whole seconds and at least one second, whatever the time zone.
/// </summary>
internal sealed record EverySchedule(TimeSpan Delay) : ICronSchedule
{
    public static EverySchedule Of(TimeSpan duration)
    {
        var delay = duration < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : duration;
        return new EverySchedule(TimeSpan.FromTicks(delay.Ticks - (delay.Ticks % TimeSpan.TicksPerSecond)));
    }

    public DateTimeOffset? Next(DateTimeOffset time) => time + Delay - TimeSpan.FromTicks(time.UtcTicks % TimeSpan.TicksPerSecond);
}
