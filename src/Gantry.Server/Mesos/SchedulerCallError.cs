namespace Gantry.Server.Mesos;

/// <summary>An HTTP answer to a scheduler call that Mesos' master refuses, with its text.</summary>
public sealed record SchedulerCallError(int Status, string Message);
