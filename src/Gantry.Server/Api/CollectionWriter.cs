using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api.Tables;
using Gantry.Server.Storage;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Api;

/// <summary>
/// Writes lists and watch streams. Lists splice each object's cached JSON into the response as it
/// is, so listing many objects costs little more than copying bytes.
/// </summary>
public sealed class CollectionWriter(WatchCache cache, TimeProvider time)
{
    private static readonly byte[] Comma = ","u8.ToArray();

    public static bool WantsTable(HttpContext context) => TableConverter.WantsTable(context.Request.Headers.Accept.ToString());

    public async Task WriteListAsync(HttpContext context, ResourcePath path)
    {
        var filter = QueryOptions.Filter(context, path);
        var limit = QueryOptions.Limit(context);
        string? after = null;
        var continueText = context.Request.Query["continue"].ToString();
        if (continueText.Length > 0)
        {
            after = ContinueToken.Decode(continueText).LastKey;
        }

        var (items, revision, more) = cache.List(path.Type.KeyPrefix, filter, after, limit);
        var rv = revision.ToString(CultureInfo.InvariantCulture);
        var next = more ? ContinueToken.Encode(items[^1].Key, revision) : null;
        if (WantsTable(context))
        {
            var objects = items.Select(i => JsonNode.Parse(i.Json)!.AsObject()).ToList();
            var table = TableConverter.ForList(path.Type, objects, time.GetUtcNow(), IncludeObject(context), rv, next);
            await HttpResponses.WriteBytesAsync(context, 200, Encoding.UTF8.GetBytes(table.ToJsonString()), TableConverter.ContentType).ConfigureAwait(false);
            return;
        }

        var metadata = new JsonObject { ["resourceVersion"] = rv };
        if (next is not null)
        {
            metadata["continue"] = next;
        }

        var head = Encoding.UTF8.GetBytes(
            $"{{\"kind\":\"{path.Type.ListKind}\",\"apiVersion\":\"{path.Type.ApiVersion}\",\"metadata\":{metadata.ToJsonString()},\"items\":[");
        var length = head.Length + 2 + items.Sum(i => i.Json.Length) + Math.Max(0, items.Count - 1);
        context.Response.StatusCode = 200;
        context.Response.ContentType = HttpResponses.Json;
        context.Response.ContentLength = length;
        var body = context.Response.BodyWriter;
        body.Write(head);
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                body.Write(Comma);
            }

            body.Write(items[i].Json);
        }

        body.Write("]}"u8);
        await body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    public static IncludeObjectPolicy IncludeObject(HttpContext context)
    {
        var value = context.Request.Query["includeObject"].ToString();
        return TableConverter.TryParseIncludeObject(value, out var policy)
            ? policy
            : throw ApiException.BadRequest($"includeObject: Unsupported value: \"{value}\": supported values: \"None\", \"Metadata\", \"Object\"");
    }

    public async Task WriteWatchAsync(HttpContext context, ResourcePath path)
    {
        var query = context.Request.Query;
        var filter = QueryOptions.Filter(context, path);
        var bookmarks = query["allowWatchBookmarks"].ToString() == "true";
        var initialEvents = query["sendInitialEvents"].ToString() == "true";
        var rvText = query["resourceVersion"].ToString();
        long? from = null;
        if (!initialEvents && rvText is not ("" or "0"))
        {
            from = long.TryParse(rvText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw ApiException.BadRequest($"resourceVersion: Invalid value: \"{rvText}\": must be a non-negative integer");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        if (int.TryParse(query["timeoutSeconds"].ToString(), out var seconds) && seconds > 0)
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        var table = WantsTable(context);
        context.Response.StatusCode = 200;
        context.Response.ContentType = HttpResponses.Json;
        System.Threading.Channels.ChannelReader<WatchEvent> events;
        try
        {
            events = cache.Watch(path.Type.KeyPrefix, filter, from, bookmarks, initialEvents && bookmarks, timeout.Token);
        }
        catch (RevisionCompactedException ex)
        {
            var gone = ApiException.Gone($"too old resource version: {ex.Requested} ({ex.Compacted})").ToStatus();
            await WriteEventAsync(context, new JsonObject { ["type"] = "ERROR", ["object"] = gone }.ToJsonString()).ConfigureAwait(false);
            return;
        }

        // Headers go out at once, as the apiserver does: clients with a response-header timeout
        // must not fail on a watch that is quiet for a while.
        await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        try
        {
            while (await events.WaitToReadAsync(timeout.Token).ConfigureAwait(false))
            {
                while (events.TryRead(out var e))
                {
                    var line = Encode(path.Type, e, table, context);
                    await context.Response.BodyWriter.WriteAsync(line, timeout.Token).ConfigureAwait(false);
                }

                await context.Response.BodyWriter.FlushAsync(timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WatcherTooSlowException)
        {
        }
    }

    private static async Task WriteEventAsync(HttpContext context, string line)
    {
        await context.Response.WriteAsync(line + "\n", context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private byte[] Encode(ResourceType type, WatchEvent e, bool table, HttpContext context)
    {
        var kind = e.Type switch
        {
            WatchEventType.Added => "ADDED",
            WatchEventType.Modified => "MODIFIED",
            WatchEventType.Deleted => "DELETED",
            _ => "BOOKMARK",
        };
        if (e.Object is null)
        {
            var metadata = new JsonObject { ["resourceVersion"] = e.Revision.ToString(CultureInfo.InvariantCulture) };
            if (e.InitialEventsEnd)
            {
                metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
            }

            var bookmark = new JsonObject { ["kind"] = type.Kind, ["apiVersion"] = type.ApiVersion, ["metadata"] = metadata };
            return Encoding.UTF8.GetBytes(new JsonObject { ["type"] = kind, ["object"] = bookmark }.ToJsonString() + "\n");
        }

        if (table)
        {
            var obj = JsonNode.Parse(e.Object.Json)!.AsObject();
            var rows = TableConverter.ForObject(type, obj, time.GetUtcNow(), IncludeObject(context));
            return Encoding.UTF8.GetBytes(new JsonObject { ["type"] = kind, ["object"] = rows }.ToJsonString() + "\n");
        }

        var prefix = Encoding.UTF8.GetBytes($"{{\"type\":\"{kind}\",\"object\":");
        var line = new byte[prefix.Length + e.Object.Json.Length + 2];
        prefix.CopyTo(line, 0);
        e.Object.Json.CopyTo(line, prefix.Length);
        line[^2] = (byte)'}';
        line[^1] = (byte)'\n';
        return line;
    }
}
