using System.Text.Json.Nodes;

namespace Gantry.Server.Api.Protobuf;

/// <summary>
/// Writes an encoded message as the JSON a Go client would have sent for the same object:
/// properties in Go struct order, inline structs merged into their parent, and zero or absent
/// values written, written as null or left out exactly as Go's encoder does for the field's
/// Go type (value or pointer) and its omitempty option. Go encoders put every value field on the
/// wire, zero or not, so "present" alone cannot decide what the JSON holds.
/// </summary>
internal sealed class MessageDecoder(ProtobufSchema schema)
{
    public void DecodeInto(JsonObject json, ReadOnlySpan<byte> data, MessageSchema message)
    {
        var wire = WireMessage.Parse(data, message);
        foreach (var field in message.Fields)
        {
            if (field.JsonName is not { } name)
            {
                DecodeInto(json, wire.MessageBytes(field.Number), schema.Message(field.MessageName!));
                continue;
            }
            JsonNode? value;
            var written = field.Shape switch
            {
                FieldShape.Repeated => TryRepeated(wire, field, out value),
                FieldShape.Map => TryMap(wire, field, out value),
                _ => TrySingle(wire, field, out value),
            };
            if (written)
            {
                json[name] = value;
            }
        }
    }

    private bool TrySingle(WireMessage wire, FieldSchema field, out JsonNode? value)
    {
        if (IsMessage(field.Type))
        {
            if (field.Pointer && !wire.Has(field.Number))
            {
                value = null;
                return !field.OmitEmpty;
            }
            // A struct held by value is never empty to omitempty: Go writes its zero form.
            value = Message(field, wire.MessageBytes(field.Number));
            return true;
        }
        if (wire.Last(field.Number) is { } last)
        {
            value = Scalar(field.Type, wire, last);
            return field.Pointer || !field.OmitEmpty || !IsZero(field.Type, last);
        }
        // A nil pointer and a nil byte slice are null; anything else absent is its zero value.
        value = field.Pointer || field.Type == FieldType.Bytes ? null : Zero(field.Type);
        return !field.OmitEmpty;
    }

    private bool TryRepeated(WireMessage wire, FieldSchema field, out JsonNode? value)
    {
        var items = new JsonArray();
        foreach (var occurrence in wire.Occurrences(field.Number))
        {
            if (IsMessage(field.Type))
            {
                items.Add(Message(field, wire.Bytes(occurrence)));
            }
            else if (occurrence.WireType == WireType.LengthDelimited && field.WireType == WireType.Varint)
            {
                var packed = new WireReader(wire.Bytes(occurrence));
                while (!packed.End)
                {
                    items.Add(Varint(field.Type, packed.ReadVarint()));
                }
            }
            else
            {
                items.Add(Scalar(field.Type, wire, occurrence));
            }
        }
        value = items.Count == 0 ? null : items;
        return items.Count != 0 || !field.OmitEmpty;
    }

    private bool TryMap(WireMessage wire, FieldSchema field, out JsonNode? value)
    {
        // Go writes map keys sorted; a key given twice keeps its last value, as in protobuf.
        var entries = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        var valueField = field.MapEntry!.Fields[1];
        foreach (var occurrence in wire.Occurrences(field.Number))
        {
            var entry = WireMessage.Parse(wire.Bytes(occurrence), field.MapEntry);
            JsonNode? entryValue;
            if (field.Type == FieldType.Bytes && !entry.Has(2))
            {
                // Go's generated unmarshaler starts a bytes map value as an empty slice, not nil.
                entryValue = "";
            }
            else
            {
                TrySingle(entry, valueField, out entryValue);
            }
            entries[entry.String(1) ?? ""] = entryValue;
        }
        if (entries.Count == 0)
        {
            value = null;
            return !field.OmitEmpty;
        }
        var map = new JsonObject();
        foreach (var (key, entryValue) in entries)
        {
            map[key] = entryValue;
        }
        value = map;
        return true;
    }

    private JsonNode? Message(FieldSchema field, ReadOnlySpan<byte> data)
    {
        if (field.Type != FieldType.Message)
        {
            return WellKnownTypes.Decode(field.Type, data);
        }
        var json = new JsonObject();
        DecodeInto(json, data, schema.Message(field.MessageName!));
        return json;
    }

    private static bool IsMessage(FieldType type) =>
        type is not (FieldType.String or FieldType.Int32 or FieldType.Int64 or FieldType.Bool or FieldType.Bytes);

    private static JsonNode Scalar(FieldType type, WireMessage wire, WireField field) => type switch
    {
        FieldType.String => WireMessage.Utf8(wire.Bytes(field)),
        FieldType.Bytes => Convert.ToBase64String(wire.Bytes(field)),
        _ => Varint(type, field.Value),
    };

    private static JsonNode Varint(FieldType type, ulong value) => type switch
    {
        // Go reads an int32 from the low 32 bits of the varint.
        FieldType.Int32 => unchecked((int)value),
        FieldType.Int64 => unchecked((long)value),
        _ => value != 0,
    };

    private static bool IsZero(FieldType type, WireField field) => type switch
    {
        FieldType.String or FieldType.Bytes => field.Length == 0,
        FieldType.Int32 => unchecked((int)field.Value) == 0,
        _ => field.Value == 0,
    };

    private static JsonNode Zero(FieldType type) => type switch
    {
        FieldType.String => "",
        FieldType.Bool => false,
        _ => 0,
    };
}
