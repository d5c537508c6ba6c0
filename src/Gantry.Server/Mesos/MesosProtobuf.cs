using System.Collections;
using System.Globalization;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Gantry.Server.Mesos;

/// <summary>
/// Mesos' v1 HTTP APIs' messages, as the master reads and writes them in either of their forms: the
/// <c>application/x-protobuf</c> bytes that mesos-go, the Java and C++ libraries and most other v1 clients send, and
/// the JSON form the master acts on. That form is Mesos' own: the messages of its <c>mesos/v1</c> .proto files with their
/// proto field names, enums by name and bytes in base64, which is protobuf's JSON mapping with the original names kept.
/// </summary>
public static class MesosProtobuf
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true));

    // Mesos' JSON reader (stout's protobuf::parse) skips fields the message lacks and enum names it does not know; a
    // field of Gantry's own JSON that the message lacks is left out of its protobuf form, not allowed to end a stream
    // or fail an answer (the tests hold every message Gantry writes to the definitions with a strict parser).
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    /// <summary>A message's bytes as the JSON object Mesos would have been sent for it.</summary>
    /// <exception cref="FormatException">The bytes are not a message of <paramref name="type"/>, or miss one of its required fields.</exception>
    public static JsonObject Read(MessageDescriptor type, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(type);
        IMessage message;
        try
        {
            message = type.Parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new FormatException(ex.Message, ex);
        }

        DropUnknownEnumValues(message);
        // C++'s ParseFromString, which Mesos' master calls, refuses a message without its required fields (an unknown
        // value of a required enum among them); C#'s parser does not check.
        if (!message.IsInitialized())
        {
            throw new FormatException("Message missing required fields");
        }

        return JsonNode.Parse(Formatter.Format(message))!.AsObject();
    }

    /// <summary>
    /// A JSON message as Mesos reads it into the message and acts on it: a field of the wrong type refuses it; fields
    /// the message lacks and enum names it does not know are dropped. Required fields are left to the caller's checks,
    /// which name them.
    /// </summary>
    /// <exception cref="FormatException">The JSON does not read as a message of <paramref name="type"/>.</exception>
    public static JsonObject Canonical(MessageDescriptor type, JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(json);
        var message = Parse(type, json, out var error) ?? throw new FormatException(error);
        DropUnknownEnumValues(message);
        return JsonNode.Parse(Formatter.Format(message))!.AsObject();
    }

    /// <summary>A message, given in its JSON form, as its bytes.</summary>
    /// <exception cref="InvalidOperationException">The JSON is not a message of <paramref name="type"/>, or lacks one of its required fields.</exception>
    public static byte[] Write(MessageDescriptor type, JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(json);
        var message = Parse(type, json, out var error)
            ?? throw new InvalidOperationException($"A {json["type"]} {type.FullName} cannot be written: {error}");
        if (!message.IsInitialized())
        {
            throw new InvalidOperationException($"A {json["type"]} {type.FullName} lacks a required field: {json.ToJsonString()}");
        }

        return message.ToByteArray();
    }

    /// <summary>The JSON read into a message of <paramref name="type"/>; null, with why, when it does not read as one.</summary>
    private static IMessage? Parse(MessageDescriptor type, JsonObject json, out string? error)
    {
        try
        {
            error = null;
            return Parser.Parse(json.ToJsonString(), type);
        }
        catch (InvalidProtocolBufferException ex)
        {
            error = ex.Message;
            return null;
        }
    }

    /// <summary>
    /// Unsets every enum field that holds a value its enum does not declare, as C++'s proto2 parser leaves such a field
    /// (it keeps the value among the unknown fields): a capability newer than this master reads as no capability, not
    /// as a number. C#'s parser keeps the number in the field.
    /// </summary>
    private static void DropUnknownEnumValues(IMessage message)
    {
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            var accessor = field.Accessor;
            if (field.IsMap)
            {
                foreach (var value in ((IDictionary)accessor.GetValue(message)).Values)
                {
                    if (value is IMessage nested)
                    {
                        DropUnknownEnumValues(nested);
                    }
                }
            }
            else if (field.IsRepeated)
            {
                var list = (IList)accessor.GetValue(message);
                for (var i = list.Count - 1; i >= 0; i--)
                {
                    if (list[i] is IMessage nested)
                    {
                        DropUnknownEnumValues(nested);
                    }
                    else if (field.FieldType == FieldType.Enum && !Declared(field, list[i]!))
                    {
                        list.RemoveAt(i);
                    }
                }
            }
            else if (accessor.HasValue(message))
            {
                var value = accessor.GetValue(message);
                if (value is IMessage nested)
                {
                    DropUnknownEnumValues(nested);
                }
                else if (field.FieldType == FieldType.Enum && !Declared(field, value))
                {
                    accessor.Clear(message);
                }
            }
        }
    }

    private static bool Declared(FieldDescriptor field, object value) =>
        field.EnumType.FindValueByNumber(Convert.ToInt32(value, CultureInfo.InvariantCulture)) is not null;
}
