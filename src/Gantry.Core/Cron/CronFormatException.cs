namespace Gantry.Core.Cron;

/// <summary>A schedule that does not parse; the message is robfig/cron's, which kube returns to the user verbatim.</summary>
public sealed class CronFormatException(string message) : Exception(message);
