using System.Text;

namespace Gantry.Tests.Protobuf;

/// <summary>Writes protobuf by hand, field by field, the way Go's generated marshalers do.</summary>
internal sealed class ProtoWriter
{
    private readonly List<byte> bytes = [];

    public ProtoWriter Varint(int field, ulong value)
    {
        Tag(field, 0);
        return Raw(value);
    }

    public ProtoWriter Int(int field, long value) => Varint(field, unchecked((ulong)value));

    public ProtoWriter Bool(int field, bool value) => Varint(field, value ? 1UL : 0UL);

    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoWriter Bytes(int field, byte[] value)
    {
        Tag(field, 2);
        Raw((ulong)value.Length);
        bytes.AddRange(value);
        return this;
    }

    public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

    /// <summary>An entry of a map&lt;string, string&gt;.</summary>
    public ProtoWriter Entry(int field, string key, string value) =>
        Message(field, new ProtoWriter().String(1, key).String(2, value));

    /// <summary>An entry of a map whose values are messages, or bytes.</summary>
    public ProtoWriter Entry(int field, string key, ProtoWriter value) =>
        Message(field, new ProtoWriter().String(1, key).Message(2, value));

    /// <summary>Appends bytes as they are, for bodies that are malformed on purpose.</summary>
    public ProtoWriter Append(params byte[] raw)
    {
        bytes.AddRange(raw);
        return this;
    }

    public byte[] ToArray() => [.. bytes];

    /// <summary>A whole request body: the k8s\0 prefix and a runtime.Unknown holding the object.</summary>
    public static byte[] Body(string apiVersion, string kind, ProtoWriter obj)
    {
        var unknown = new ProtoWriter()
            .Message(1, new ProtoWriter().String(1, apiVersion).String(2, kind))
            .Message(2, obj)
            .String(3, "")
            .String(4, "");
        return [.. "k8s\0"u8, .. unknown.ToArray()];
    }

    private void Tag(int field, int wireType) => Raw((ulong)(field << 3 | wireType));

    private ProtoWriter Raw(ulong value)
    {
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }
        bytes.Add((byte)value);
        return this;
    }
}
