using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Gantry.Server.Mesos;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Gantry.Tests.Mesos;

/// <summary>
/// What a framework would read on its stream, without HTTP: the session is written to an in-memory response until it
/// ends or has been quiet for a moment, and the RecordIO bytes are split back into events.
/// </summary>
internal static class SessionEvents
{
    /// <summary>Long enough for the stream to write what is already queued; far below the 15 s heartbeat, so none is sent.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);

    /// <summary>The events queued on the session so far, in order; the session is left to be read again.</summary>
    public static async Task<List<JsonObject>> ReadAsync(FrameworkSession session)
    {
        var (events, _) = await StreamAsync(session);
        return events;
    }

    /// <summary>The events the session writes and whether its stream ended by itself (not cut off by the reader).</summary>
    public static async Task<(List<JsonObject> Events, bool Ended)> StreamAsync(FrameworkSession session)
    {
        using var body = new MemoryStream();
        var context = new DefaultHttpContext();
        context.Response.Body = body;
        using var stop = new CancellationTokenSource(Quiet);
        var ended = true;
        try
        {
            await session.StreamAsync(context.Response, RecordIo.Frame, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            ended = false;
        }

        return (Records(body.ToArray()), ended);
    }

    /// <summary>Splits RecordIO of JSON events.</summary>
    public static List<JsonObject> Records(byte[] bytes) => [.. RecordBytes(bytes).Select(r => JsonNode.Parse(r)!.AsObject())];

    /// <summary>Splits RecordIO: each record is its length in bytes, a newline, then that many bytes.</summary>
    public static List<byte[]> RecordBytes(byte[] bytes)
    {
        var records = new List<byte[]>();
        var at = 0;
        while (at < bytes.Length)
        {
            var newline = Array.IndexOf(bytes, (byte)'\n', at);
            var length = int.Parse(Encoding.ASCII.GetString(bytes, at, newline - at), CultureInfo.InvariantCulture);
            records.Add(bytes[(newline + 1)..(newline + 1 + length)]);
            at = newline + 1 + length;
        }

        return records;
    }

    /// <summary>The status of an UPDATE event.</summary>
    public static JsonObject Status(JsonObject update)
    {
        Assert.Equal("UPDATE", update["type"]!.GetValue<string>());
        return update["update"]!["status"]!.AsObject();
    }
}
