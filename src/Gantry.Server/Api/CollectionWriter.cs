using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Core.Resources.Conversion;
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
            var (objects, served) = await PrintedAsync(path, [.. items.Select(i => JsonNode.Parse(i.Json)!.AsObject())], context.RequestAborted).ConfigureAwait(false);
            var table = TableConverter.ForList(path.PrintedType, objects, time.GetUtcNow(), IncludeObject(context), rv, next, served);
            await HttpResponses.WriteBytesAsync(context, 200, Encoding.UTF8.GetBytes(table.ToJsonString()), TableConverter.ContentType).ConfigureAwait(false);
            return;
        }

        var metadata = new JsonObject { ["resourceVersion"] = rv };
        if (next is not null)
        {
            metadata["continue"] = next;
        }

        var head = Encoding.UTF8.GetBytes(
            $"{{\"kind\":\"{path.Served.ListKind}\",\"apiVersion\":\"{path.Served.ApiVersion}\",\"metadata\":{metadata.ToJsonString()},\"items\":[");
        var jsons = path.Conversion switch
        {
            null => items.Select(i => i.Json).ToList(),
            // Converted one at a time, each tree let go once written; a webhook takes the list at once.
            ConversionFunctions functions => items.Select(i => Encoding.UTF8.GetBytes(functions.FromStorage(JsonNode.Parse(i.Json)!.AsObject()).ToJsonString())).ToList(),
            _ => (await path.ToServedAsync([.. items.Select(i => JsonNode.Parse(i.Json)!.AsObject())], context.RequestAborted).ConfigureAwait(false))
                .Select(o => Encoding.UTF8.GetBytes(o.ToJsonString())).ToList(),
        };
        var length = head.Length + 2 + jsons.Sum(j => j.Length) + Math.Max(0, jsons.Count - 1);
        context.Response.StatusCode = 200;
        context.Response.ContentType = HttpResponses.Json;
        context.Response.ContentLength = length;
        var body = context.Response.BodyWriter;
        body.Write(head);
        for (var i = 0; i < jsons.Count; i++)
        {
            if (i > 0)
            {
                body.Write(Comma);
            }

            body.Write(jsons[i]);
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
                // The events ready now go out in one flush, as the apiserver's watch flushes only when none is pending;
                // a burst is flushed every so often, so that a slow client pushes back on it.
                var unflushed = 0;
                while (events.TryRead(out var e))
                {
                    unflushed += await WriteAsync(context.Response.BodyWriter, path, e, table, context, timeout.Token).ConfigureAwait(false);
                    if (unflushed >= FlushEvery)
                    {
                        await context.Response.BodyWriter.FlushAsync(timeout.Token).ConfigureAwait(false);
                        unflushed = 0;
                    }
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
        catch (ApiException ex)
        {
            // An object could not be shown in the version watched (its conversion webhook failed): the watch ends with
            // the error as an InternalError (kube's transformErrorToEvent), on which a client lists again.
            await WriteEventAsync(context, new JsonObject { ["type"] = "ERROR", ["object"] = ex.AsInternalError().ToStatus() }.ToJsonString()).ConfigureAwait(false);
        }
    }

    private static async Task WriteEventAsync(HttpContext context, string line)
    {
        await context.Response.WriteAsync(line + "\n", context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Writes one watch event line; returns its length.</summary>
    private async ValueTask<int> WriteAsync(PipeWriter body, ResourcePath path, WatchEvent e, bool table, HttpContext context, CancellationToken cancellationToken)
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

            var bookmark = new JsonObject { ["kind"] = path.Served.Kind, ["apiVersion"] = path.Served.ApiVersion, ["metadata"] = metadata };
            return WriteLine(body, new JsonObject { ["type"] = kind, ["object"] = bookmark });
        }

        if (table)
        {
            var (printed, served) = await PrintedAsync(path, [JsonNode.Parse(e.Object.Json)!.AsObject()], cancellationToken).ConfigureAwait(false);
            var rows = TableConverter.ForObject(path.PrintedType, printed[0], time.GetUtcNow(), IncludeObject(context), served);
            return WriteLine(body, new JsonObject { ["type"] = kind, ["object"] = rows });
        }

        // The cached object's bytes are written as they are, between a prefix and "}\n": no line is built.
        var prefix = e.Type switch
        {
            WatchEventType.Added => AddedPrefix,
            WatchEventType.Modified => ModifiedPrefix,
            _ => DeletedPrefix,
        };
        var json = path.Conversion is null
            ? e.Object.Json
            : Encoding.UTF8.GetBytes((await path.ToServedAsync(JsonNode.Parse(e.Object.Json)!.AsObject(), cancellationToken).ConfigureAwait(false)).ToJsonString());
        body.Write(prefix);
        body.Write(json);
        body.Write("}\n"u8);
        return prefix.Length + json.Length + 2;
    }

    /// <summary>
    /// The objects a table prints, and how its rows show them in the request's version. A built-in type's cells are
    /// printed from its stored version and only a row's object is converted; a custom resource's printer columns are
    /// paths of the version served, so its objects are converted first (together, as a webhook takes a list).
    /// </summary>
    public static async ValueTask<(IReadOnlyList<JsonObject> Objects, Func<JsonObject, JsonObject>? Served)> PrintedAsync(
        ResourcePath path, IReadOnlyList<JsonObject> stored, CancellationToken cancellationToken) =>
        path.Conversion switch
        {
            null => (stored, null),
            ConversionFunctions functions when path.Type.Custom is null => (stored, functions.FromStorage),
            _ => (await path.ToServedAsync(stored, cancellationToken).ConfigureAwait(false), null),
        };

    private static int WriteLine(PipeWriter body, JsonObject line)
    {
        var bytes = Encoding.UTF8.GetBytes(line.ToJsonString() + "\n");
        body.Write(bytes);
        return bytes.Length;
    }

    private const int FlushEvery = 64 * 1024;

    private static readonly byte[] AddedPrefix = "{\"type\":\"ADDED\",\"object\":"u8.ToArray();
    private static readonly byte[] ModifiedPrefix = "{\"type\":\"MODIFIED\",\"object\":"u8.ToArray();
    private static readonly byte[] DeletedPrefix = "{\"type\":\"DELETED\",\"object\":"u8.ToArray();
}
