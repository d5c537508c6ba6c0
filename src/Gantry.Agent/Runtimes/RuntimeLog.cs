using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Runtimes;

internal static partial class RuntimeLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Started {Runtime} container {Id} ({Container} of pod {Namespace}/{Pod}) in {ElapsedMs} ms")]
    public static partial void Started(ILogger logger, string runtime, string id, string container, string @namespace, string pod, long elapsedMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information,
        Message = "Stopped {Runtime} container {Id}: {Status}")]
    public static partial void Stopped(ILogger logger, string runtime, string id, ContainerStatus status);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Adopted {Count} {Runtime} container(s) from {Directory}")]
    public static partial void Adopted(ILogger logger, int count, string runtime, string directory);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning,
        Message = "Discarded {Directory}: a start was interrupted before its checkpoint was written")]
    public static partial void DiscardedIncomplete(ILogger logger, string directory);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Cleaning up after a failed start of container {Id} failed")]
    public static partial void CleanupFailed(ILogger logger, Exception exception, string id);
}
