using Microsoft.Extensions.Logging;

namespace Gantry.Server.Storage;

internal static partial class StoreLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Opened store {Path} at revision {Revision} with {KeyCount} keys (compacted up to {CompactedRevision})")]
    public static partial void Opened(ILogger logger, string path, long revision, int keyCount, long compactedRevision);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error,
        Message = "Committing a batch of {Count} mutations failed; every mutation in it was rejected")]
    public static partial void BatchFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Rolling back a failed batch failed")]
    public static partial void RollbackFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Compacted history up to revision {Revision}")]
    public static partial void Compacted(ILogger logger, long revision);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug,
        Message = "A watcher fell behind the live feed; it resumes from history after revision {Revision}")]
    public static partial void WatcherResumesFromHistory(ILogger logger, long revision);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Checkpointing the write-ahead log failed; it is tried again in a second")]
    public static partial void CheckpointFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7, Level = LogLevel.Critical,
        Message = "The store's writer stopped after an unexpected error; every write fails until the server is restarted")]
    public static partial void WriterStopped(ILogger logger, Exception exception);
}
