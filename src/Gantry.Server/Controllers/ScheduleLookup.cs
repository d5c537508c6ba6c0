namespace Gantry.Server.Controllers;

/// <summary>
/// What <see cref="CronJobScheduleMath.MostRecent"/> found: the time it counted from, the latest scheduled time due (null
/// when none is), roughly how many were missed, and why the schedule cannot be used, if it cannot.
/// </summary>
internal sealed record ScheduleLookup(DateTimeOffset Earliest, DateTimeOffset? MostRecent, long Missed, string? Error);
