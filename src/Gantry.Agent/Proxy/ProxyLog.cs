using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Proxy;

internal static partial class ProxyLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Service proxy rules in table {Table} now hold {ServicePorts} service ports and {Endpoints} endpoints (synced in {Milliseconds} ms)")]
    public static partial void Synced(ILogger logger, string table, int servicePorts, int endpoints, double milliseconds);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug,
        Message = "Service proxy rules in table {Table} rewritten unchanged (synced in {Milliseconds} ms)")]
    public static partial void Resynced(ILogger logger, string table, double milliseconds);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Writing the service proxy rules in table {Table} failed; retrying in {RetrySeconds} s")]
    public static partial void SyncFailed(ILogger logger, Exception exception, string table, double retrySeconds);
}
