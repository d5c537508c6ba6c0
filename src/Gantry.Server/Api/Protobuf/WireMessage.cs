using System.Text;

namespace Gantry.Server.Api.Protobuf;

/// <summary>
/// An encoded message split into its fields, each checked against the schema: a field number
/// the schema does not know, or a wire type it does not expect, fails the whole body rather
/// than being dropped.
/// </summary>
internal readonly ref struct WireMessage
{
    private static readonly List<WireField> None = [];

    private readonly ReadOnlySpan<byte> data;
    private readonly Dictionary<int, List<WireField>> fields;

    private WireMessage(ReadOnlySpan<byte> data, Dictionary<int, List<WireField>> fields)
    {
        this.data = data;
        this.fields = fields;
    }

    public static WireMessage Parse(ReadOnlySpan<byte> data, MessageSchema schema)
    {
        var fields = new Dictionary<int, List<WireField>>();
        var reader = new WireReader(data);
        while (!reader.End)
        {
            var tagAt = reader.Position;
            var tag = reader.ReadVarint();
            var number = tag >> 3;
            var wireType = (WireType)(tag & 7);
            if (number is 0 or > int.MaxValue)
            {
                throw new FormatException($"protobuf: invalid field number {number} at byte {tagAt} of {schema.Name}");
            }
            var field = schema.Find((int)number)
                ?? throw new FormatException($"protobuf: {schema.Name} has no field {number} in Gantry's schema (Kubernetes 1.36); it may come from a newer client");
            if (!field.Accepts(wireType))
            {
                throw new FormatException($"protobuf: {field.Describe(schema)} has wire type {(int)wireType}, expected {(int)field.WireType}");
            }
            var occurrence = wireType == WireType.Varint
                ? new WireField(wireType, reader.ReadVarint(), 0, 0)
                : LengthDelimited(ref reader);
            if (!fields.TryGetValue(field.Number, out var list))
            {
                fields[field.Number] = list = [];
            }
            list.Add(occurrence);
        }
        return new WireMessage(data, fields);
    }

    private static WireField LengthDelimited(ref WireReader reader)
    {
        var (start, length) = reader.ReadLengthDelimited();
        return new WireField(WireType.LengthDelimited, 0, start, length);
    }

    public IReadOnlyList<WireField> Occurrences(int number) => fields.GetValueOrDefault(number) ?? None;

    public bool Has(int number) => fields.ContainsKey(number);

    public ReadOnlySpan<byte> Bytes(WireField field) => data.Slice(field.Start, field.Length);

    /// <summary>
    /// The bytes of a message field. A message that occurs more than once is, by the protobuf
    /// rules, the merge of its occurrences, which is what decoding their concatenation gives.
    /// </summary>
    public ReadOnlySpan<byte> MessageBytes(int number)
    {
        var occurrences = Occurrences(number);
        if (occurrences.Count <= 1)
        {
            return occurrences.Count == 0 ? [] : Bytes(occurrences[0]);
        }
        var merged = new List<byte>();
        foreach (var occurrence in occurrences)
        {
            merged.AddRange(Bytes(occurrence));
        }
        return merged.ToArray();
    }

    /// <summary>The last occurrence of a scalar field wins, as in protobuf.</summary>
    public WireField? Last(int number) => fields.TryGetValue(number, out var list) ? list[^1] : null;

    /// <summary>The bytes of the last occurrence of a string or bytes field; none when absent.</summary>
    public ReadOnlySpan<byte> LastBytes(int number) => Last(number) is { } field ? Bytes(field) : [];

    public string? String(int number) => Has(number) ? Utf8(LastBytes(number)) : null;

    public ulong? Varint(int number) => Last(number)?.Value;

    public static string Utf8(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);
}
