using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Probes;

internal static partial class ProbeLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "{Kind} probe of container {Container} ({Id}) is now {Verdict}")]
    public static partial void VerdictChanged(ILogger logger, ProbeKind kind, string container, string id, ProbeVerdict verdict);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug,
        Message = "{Kind} probe of container {Container} errored and its result is thrown away: {Error}")]
    public static partial void Errored(ILogger logger, ProbeKind kind, string container, string error);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "{Kind} probe worker of container {Container} failed a tick")]
    public static partial void TickFailed(ILogger logger, Exception exception, ProbeKind kind, string container);
}
