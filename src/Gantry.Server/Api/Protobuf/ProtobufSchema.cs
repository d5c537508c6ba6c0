namespace Gantry.Server.Api.Protobuf;

/// <summary>
/// Messages and the kinds that name them, read from the line format that
/// scripts/generate-protobuf-schema.py writes (described at the top of <see cref="KubernetesSchemaText"/>).
/// </summary>
internal sealed class ProtobufSchema
{
    private static readonly Dictionary<string, FieldType> Keywords = new(StringComparer.Ordinal)
    {
        ["string"] = FieldType.String,
        ["int32"] = FieldType.Int32,
        ["int64"] = FieldType.Int64,
        ["bool"] = FieldType.Bool,
        ["bytes"] = FieldType.Bytes,
        ["quantity"] = FieldType.Quantity,
        ["intorstring"] = FieldType.IntOrString,
        ["time"] = FieldType.Time,
        ["microtime"] = FieldType.MicroTime,
        ["fieldsv1"] = FieldType.FieldsV1,
        ["stringlist"] = FieldType.StringList,

        // A RawExtension is a FieldsV1 on the wire and in JSON: the bytes of a JSON document in field 1.
        ["rawextension"] = FieldType.FieldsV1,
    };

    private readonly Dictionary<string, MessageSchema> messages;
    private readonly Dictionary<(string ApiVersion, string Kind), MessageSchema> kinds;

    private ProtobufSchema(Dictionary<string, MessageSchema> messages, Dictionary<(string, string), MessageSchema> kinds)
    {
        this.messages = messages;
        this.kinds = kinds;
    }

    public static ProtobufSchema Kubernetes { get; } = Parse(KubernetesSchemaText.Value);

    public MessageSchema Message(string name) => messages[name];

    /// <summary>The message for a kind; a kind registered for any apiVersion ("*") matches every one.</summary>
    public MessageSchema? FindKind(string apiVersion, string kind) =>
        kinds.GetValueOrDefault((apiVersion, kind)) ?? kinds.GetValueOrDefault(("*", kind));

    /// <summary>Parses schema text; a malformed schema is a build defect, so it throws <see cref="InvalidOperationException"/>.</summary>
    public static ProtobufSchema Parse(string text)
    {
        var fieldsByMessage = new Dictionary<string, List<FieldSchema>>(StringComparer.Ordinal);
        var kindLines = new List<(string ApiVersion, string Kind, string Message)>();
        List<FieldSchema>? current = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (parts[0])
            {
                case "kind" when parts.Length == 4:
                    kindLines.Add((parts[1], parts[2], parts[3]));
                    break;
                case "message" when parts.Length == 2:
                    current = [];
                    if (!fieldsByMessage.TryAdd(parts[1], current))
                    {
                        throw new InvalidOperationException($"protobuf schema: message {parts[1]} is defined twice");
                    }
                    break;
                default:
                    (current ?? throw new InvalidOperationException($"protobuf schema: field outside a message: '{line}'"))
                        .Add(ParseField(parts, line));
                    break;
            }
        }

        var messages = fieldsByMessage.ToDictionary(m => m.Key, m => new MessageSchema(m.Key, m.Value), StringComparer.Ordinal);
        foreach (var field in messages.Values.SelectMany(m => m.Fields))
        {
            if (field.MessageName is { } name && !messages.ContainsKey(name))
            {
                throw new InvalidOperationException($"protobuf schema: message {name} is used but not defined");
            }
        }
        var kinds = kindLines.ToDictionary(
            k => (k.ApiVersion, k.Kind),
            k => messages.GetValueOrDefault(k.Message) ?? throw new InvalidOperationException($"protobuf schema: kind {k.Kind} names undefined message {k.Message}"));
        return new ProtobufSchema(messages, kinds);
    }

    private static FieldSchema ParseField(string[] parts, string line)
    {
        if (parts.Length is < 3 or > 4 || !int.TryParse(parts[0], out var number) || number <= 0)
        {
            throw new InvalidOperationException($"protobuf schema: cannot parse field '{line}'");
        }
        var type = parts[2];
        var shape = FieldShape.Single;
        if (type.StartsWith("[]", StringComparison.Ordinal))
        {
            shape = FieldShape.Repeated;
            type = type[2..];
        }
        else if (type.StartsWith("{}", StringComparison.Ordinal))
        {
            shape = FieldShape.Map;
            type = type[2..];
        }
        var flags = parts.Length == 4 ? parts[3] : "";
        if (flags.Trim('*', '?').Length != 0)
        {
            throw new InvalidOperationException($"protobuf schema: unknown flags in '{line}'");
        }
        var isKeyword = Keywords.TryGetValue(type, out var fieldType);
        if (parts[1] == "." && (isKeyword || shape != FieldShape.Single))
        {
            throw new InvalidOperationException($"protobuf schema: only a single message can be inline: '{line}'");
        }
        return new FieldSchema(
            number,
            parts[1] == "." ? null : parts[1],
            isKeyword ? fieldType : FieldType.Message,
            isKeyword ? null : type,
            shape,
            Pointer: flags.Contains('*', StringComparison.Ordinal),
            OmitEmpty: flags.Contains('?', StringComparison.Ordinal));
    }
}
