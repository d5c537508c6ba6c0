using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Server.Api.Protobuf;

/// <summary>
/// The runtime.Unknown envelope and the apimachinery types with a JSON form of their own, each
/// read through a schema so that their fields are checked like any other message's.
/// </summary>
internal static class WellKnownTypes
{
    private static readonly ProtobufSchema Schema = ProtobufSchema.Parse("""
        message runtime.Unknown
        1 typeMeta runtime.TypeMeta
        2 raw bytes
        3 contentEncoding string
        4 contentType string
        message runtime.TypeMeta
        1 apiVersion string
        2 kind string
        message api.resource.Quantity
        1 string string
        message util.intstr.IntOrString
        1 type int64
        2 intVal int32
        3 strVal string
        message meta.v1.Timestamp
        1 seconds int64
        2 nanos int32
        message meta.v1.FieldsV1
        1 Raw bytes
        message StringList
        1 items []string
        """);

    public static MessageSchema Unknown { get; } = Schema.Message("runtime.Unknown");

    public static MessageSchema TypeMeta { get; } = Schema.Message("runtime.TypeMeta");

    private static readonly MessageSchema Quantity = Schema.Message("api.resource.Quantity");
    private static readonly MessageSchema IntOrString = Schema.Message("util.intstr.IntOrString");
    private static readonly MessageSchema Timestamp = Schema.Message("meta.v1.Timestamp");
    private static readonly MessageSchema FieldsV1 = Schema.Message("meta.v1.FieldsV1");
    private static readonly MessageSchema StringList = Schema.Message("StringList");

    public static JsonNode? Decode(FieldType type, ReadOnlySpan<byte> data) => type switch
    {
        FieldType.Quantity => DecodeQuantity(data),
        FieldType.IntOrString => DecodeIntOrString(data),
        FieldType.Time => DecodeTime(data, micro: false),
        FieldType.MicroTime => DecodeTime(data, micro: true),
        FieldType.FieldsV1 => DecodeFieldsV1(data),
        FieldType.StringList => DecodeStringList(data),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a well-known type"),
    };

    private static JsonArray DecodeStringList(ReadOnlySpan<byte> data)
    {
        var wire = WireMessage.Parse(data, StringList);
        var items = new JsonArray();
        foreach (var item in wire.Occurrences(1))
        {
            items.Add(WireMessage.Utf8(wire.Bytes(item)));
        }

        return items;
    }

    // A zero Quantity writes "0" in JSON.
    private static JsonNode DecodeQuantity(ReadOnlySpan<byte> data) =>
        WireMessage.Parse(data, Quantity).String(1) ?? "0";

    private static JsonNode DecodeIntOrString(ReadOnlySpan<byte> data)
    {
        var wire = WireMessage.Parse(data, IntOrString);
        return (long)(wire.Varint(1) ?? 0) switch
        {
            0 => (int)(wire.Varint(2) ?? 0),
            1 => wire.String(3) ?? "",
            var other => throw new FormatException($"protobuf: IntOrString has type {other}; only 0 (int) and 1 (string) exist"),
        };
    }

    /// <summary>
    /// Time and MicroTime share the Timestamp encoding. A zero time is encoded as no bytes at
    /// all and written as null. Time keeps whole seconds (apimachinery drops the nanoseconds
    /// when it decodes one); MicroTime keeps microseconds, truncated as Go formats them.
    /// </summary>
    private static JsonNode? DecodeTime(ReadOnlySpan<byte> data, bool micro)
    {
        if (data.IsEmpty)
        {
            return null;
        }
        var wire = WireMessage.Parse(data, Timestamp);
        var seconds = (long)(wire.Varint(1) ?? 0);
        var nanos = micro ? (int)(wire.Varint(2) ?? 0) : 0;
        // Go normalises nanoseconds outside [0, 1e9) into the seconds.
        seconds += Math.DivRem(nanos, 1_000_000_000, out var remainder);
        if (remainder < 0)
        {
            seconds--;
            remainder += 1_000_000_000;
        }
        try
        {
            var time = DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(remainder / 1000 * 10);
            return time.ToString(micro ? "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'" : "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new FormatException($"protobuf: time {seconds}s since the epoch is outside the years 1 to 9999");
        }
    }

    private static JsonNode? DecodeFieldsV1(ReadOnlySpan<byte> data)
    {
        var raw = WireMessage.Parse(data, FieldsV1).LastBytes(1);
        if (raw.IsEmpty)
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(raw);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"protobuf: fieldsV1 does not hold JSON: {ex.Message}", ex);
        }
    }
}
