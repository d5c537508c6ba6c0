using Microsoft.Extensions.Logging;

namespace Gantry.Agent;

internal static partial class VolatileStateLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Mounted a tmpfs on {Directory}: its pods' runtime state is kept in memory")]
    public static partial void Mounted(ILogger logger, string directory);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information,
        Message = "{Directory} already holds runtime state on disk (written by an earlier agent); it stays there until 'gantry reset'")]
    public static partial void KeptOnDisk(ILogger logger, string directory);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Could not mount a tmpfs on {Directory} ({Reason}): its pods' runtime state is kept on disk")]
    public static partial void MountRefused(ILogger logger, string directory, string reason);
}
