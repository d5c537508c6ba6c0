using System.Text;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Marathon.Events;

/// <summary>
/// <c>GET /v2/events</c>: the event bus as Server-Sent Events (<c>event: TYPE</c>, <c>data: JSON</c>), each flushed at
/// once, until the client goes or the server stops. <c>?event_type=</c> (repeatable) keeps only those types.
/// </summary>
public static class EventStream
{
    public static bool Accepts(string? accept) =>
        string.IsNullOrEmpty(accept)
        || accept.Split(',').Select(a => a.Split(';')[0].Trim()).Any(a => a is "text/event-stream" or "text/*" or "*/*");

    public static async Task ServeAsync(HttpContext context, MarathonEvents events)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(events);
        var types = context.Request.Query["event_type"].OfType<string>().ToHashSet(StringComparer.Ordinal);
        var reader = events.Subscribe();
        try
        {
            var response = context.Response;
            response.StatusCode = 200;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            await response.StartAsync(context.RequestAborted).ConfigureAwait(false);
            await WriteAsync(response, events.Attached(context.Connection.RemoteIpAddress?.ToString() ?? ""), types, context.RequestAborted).ConfigureAwait(false);
            await foreach (var published in reader.ReadAllAsync(context.RequestAborted).ConfigureAwait(false))
            {
                await WriteAsync(response, published, types, context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client went away, or the server is stopping.
        }
        finally
        {
            events.Unsubscribe(reader);
        }
    }

    /// <summary>One event in the stream's format.</summary>
    public static string Format(MarathonEvent published)
    {
        ArgumentNullException.ThrowIfNull(published);
        return $"event: {published.Type}\ndata: {published.Data}\n\n";
    }

    private static async Task WriteAsync(HttpResponse response, MarathonEvent published, HashSet<string> types, CancellationToken cancellationToken)
    {
        if (types.Count > 0 && !types.Contains(published.Type))
        {
            return;
        }

        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(Format(published)), cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
