namespace Gantry.Server.Api.Protobuf;

/// <summary>
/// A field of a message. <see cref="Pointer"/> and <see cref="OmitEmpty"/> describe the Go field
/// behind it: together they decide, as Go's JSON encoder would, whether a zero or absent value
/// is written, written as null, or left out.
/// </summary>
/// <param name="JsonName">The JSON property, or null for a Go struct embedded inline, whose
/// fields become the parent's.</param>
/// <param name="MessageName">The message type when <paramref name="Type"/> is
/// <see cref="FieldType.Message"/>.</param>
internal sealed record FieldSchema(
    int Number,
    string? JsonName,
    FieldType Type,
    string? MessageName,
    FieldShape Shape,
    bool Pointer,
    bool OmitEmpty)
{
    /// <summary>For a map, the message of its entries: key = 1, value = 2.</summary>
    public MessageSchema? MapEntry { get; } = Shape == FieldShape.Map
        ? new MessageSchema($"{JsonName} entry", [
            new FieldSchema(1, "key", FieldType.String, null, FieldShape.Single, Pointer: false, OmitEmpty: false),
            new FieldSchema(2, "value", Type, MessageName, FieldShape.Single, Pointer: false, OmitEmpty: false),
        ])
        : null;

    /// <summary>The wire type of one value; repeated varints may also come packed.</summary>
    public WireType WireType =>
        Shape != FieldShape.Map && Type is FieldType.Int32 or FieldType.Int64 or FieldType.Bool
            ? WireType.Varint
            : WireType.LengthDelimited;

    public bool Accepts(WireType wireType) =>
        wireType == WireType
        || Shape == FieldShape.Repeated && WireType == WireType.Varint && wireType == WireType.LengthDelimited;

    public string Describe(MessageSchema message) => $"field {Number} ({JsonName ?? "inline"}) of {message.Name}";
}
