using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace Gantry.Server.Api;

/// <summary>
/// Ends watches and streams (<c>logs -f</c>, exec, attach, port-forward, proxy, Mesos' and Marathon's event streams) as soon as the server
/// begins to stop, as the apiserver closes its watches on shutdown: they never finish on their own,
/// so the host would otherwise wait out its whole shutdown timeout for them. Clients re-establish
/// them against the next server. Short requests are left to finish.
/// </summary>
public sealed class LongRunningRequests(IHostApplicationLifetime lifetime)
{
    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        if (!IsLongRunning(context.Request))
        {
            await next().ConfigureAwait(false);
            return;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        context.RequestAborted = linked.Token;
        await next().ConfigureAwait(false);
    }

    internal static bool IsLongRunning(HttpRequest request) =>
        IsTrue(request.Query["watch"]) || IsTrue(request.Query["follow"]) || request.Headers.Upgrade.Count > 0 || IsProxy(request) || IsMesosScheduler(request)
        || request.Path.Value == "/v2/events";

    // As the apiserver's long-running check counts the proxy subresource: what a backend streams has no end of its own.
    private static bool IsProxy(HttpRequest request) =>
        request.Path.Value is { } path && (path.Contains("/proxy/", StringComparison.Ordinal) || path.EndsWith("/proxy", StringComparison.Ordinal));

    // A framework's SUBSCRIBE is its event stream; the API's other calls are short and lose nothing by ending with it.
    private static bool IsMesosScheduler(HttpRequest request) => request.Path.Value == "/api/v1/scheduler";

    private static bool IsTrue(string? value) => value is "true" or "1";
}
