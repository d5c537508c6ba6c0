using System.Collections;
using System.Globalization;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Gantry.Server.Mesos;

/// <summary>
/// The <c>application/x-protobuf</c> form of Mesos' v1 HTTP APIs, as mesos-go, the Java and C++ libraries and most
/// other v1 clients speak them, translated to and from the JSON form the master acts on. The translation is Mesos' own:
/// its JSON form is the messages of its <c>mesos/v1</c> .proto files with their proto field names, enums by name and
/// bytes in base64, which is protobuf's JSON mapping with the original names kept.
/// </summary>
public static class MesosProtobuf
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true));

    // A field of Gantry's JSON that these messages lack is left out of the protobuf form, not allowed to end a stream or
    // fail an answer; the tests hold every message to the definitions with a strict parser.
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    /// <summary>A message's bytes as the JSON object Mesos would have been sent for it.</summary>
    /// <exception cref="FormatException">The bytes are not a <typeparamref name="T"/>, or miss one of its required fields.</exception>
    public static JsonObject Read<T>(MessageParser<T> parser, byte[] body)
        where T : IMessage<T>
    {
        ArgumentNullException.ThrowIfNull(parser);
        T message;
        try
        {
            message = parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new FormatException(ex.Message, ex);
        }

        // C++'s ParseFromString, which Mesos' master calls, refuses a message without its required fields; C#'s parser does not check.
        if (!message.IsInitialized())
        {
            throw new FormatException("Message missing required fields");
        }

        DropUnknownEnumValues(message);
        return JsonNode.Parse(Formatter.Format(message))!.AsObject();
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

    /// <summary>A message, given in its JSON form, as the bytes of a <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidOperationException">The JSON is not a <typeparamref name="T"/>, or lacks one of its required fields.</exception>
    public static byte[] Write<T>(JsonObject json)
        where T : IMessage<T>, new()
    {
        ArgumentNullException.ThrowIfNull(json);
        T message;
        try
        {
            message = Parser.Parse<T>(json.ToJsonString());
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new InvalidOperationException($"A {json["type"]} {typeof(T).FullName} cannot be written: {ex.Message}", ex);
        }

        if (!message.IsInitialized())
        {
            throw new InvalidOperationException($"A {json["type"]} {typeof(T).FullName} lacks a required field: {json.ToJsonString()}");
        }

        return message.ToByteArray();
    }
}
