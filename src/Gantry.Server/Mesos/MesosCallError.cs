namespace Gantry.Server.Mesos;

/// <summary>An HTTP answer to a call (a scheduler's or an operator's) that Mesos' master refuses, with its text.</summary>
public sealed record MesosCallError(int Status, string Message);
