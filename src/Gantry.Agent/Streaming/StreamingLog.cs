using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Streaming;

/// <summary>Log messages of the streaming protocols.</summary>
internal static partial class StreamingLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "The SPDY client broke the protocol; closing the connection")]
    public static partial void SpdyProtocolError(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "SPDY connection ended: {Reason}")]
    public static partial void SpdyConnectionEnded(ILogger logger, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Exec over {Protocol} in container {Container}: {Command}")]
    public static partial void ExecStarting(ILogger logger, string protocol, string? container, string command);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Exec finished with exit code {ExitCode}")]
    public static partial void ExecExited(ILogger logger, int exitCode);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Exec could not start the command")]
    public static partial void ExecStartFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "The exec client went away before the command finished")]
    public static partial void ExecClientGone(ILogger logger);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "The exec client did not open its {Missing} streams in time")]
    public static partial void ExecStreamsMissing(ILogger logger, string missing);

    [LoggerMessage(EventId = 8, Level = LogLevel.Debug, Message = "Refused SPDY stream {StreamId} of type {StreamType}: {Why}")]
    public static partial void StreamRefused(ILogger logger, uint streamId, string? streamType, string why);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "Port-forward to port {Port} failed")]
    public static partial void PortForwardFailed(ILogger logger, int port, Exception exception);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Port-forward request {RequestId} never got both its data and error streams")]
    public static partial void PortForwardPairIncomplete(ILogger logger, string requestId);

    [LoggerMessage(EventId = 11, Level = LogLevel.Debug, Message = "Ignoring the rest of the resize stream")]
    public static partial void ResizeStopped(ILogger logger, Exception exception);
}
