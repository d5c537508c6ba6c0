using System.Net;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Watching;

/// <summary>
/// client-go's reflector in small: list a kind, then watch it from the list's version; any failure lists again after
/// a second. A server that does not serve the kind (yet) is asked again quietly every few seconds.
/// </summary>
internal static partial class ListWatch
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan NotServedDelay = TimeSpan.FromSeconds(5);

    /// <param name="resource">The kind's resource, for the logs.</param>
    /// <param name="watcher">Who watches, for the logs (e.g. "the service proxy").</param>
    /// <param name="replace">Given every object a list returned.</param>
    /// <param name="apply">Given each watch event.</param>
    public static async Task RunAsync<T>(
        string resource,
        string watcher,
        Func<CancellationToken, Task<(IList<T> Items, string Version)>> list,
        Func<string, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch,
        Action<IList<T>> replace,
        Action<WatchEventType, T> apply,
        ILogger logger,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var (items, version) = await list(cancellationToken).ConfigureAwait(false);
                replace(items);
                await foreach (var (type, item) in watch(version, cancellationToken).ConfigureAwait(false))
                {
                    apply(type, item);
                }
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
            {
                NotServed(logger, resource, watcher);
                await Task.Delay(NotServedDelay, time, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                WatchFailed(logger, ex, resource, watcher);
                await Task.Delay(RetryDelay, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "The server does not serve {Resource} (yet); {Watcher} lists them again shortly")]
    private static partial void NotServed(ILogger logger, string resource, string watcher);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Watching {Resource} for {Watcher} failed; listing again")]
    private static partial void WatchFailed(ILogger logger, Exception exception, string resource, string watcher);
}
