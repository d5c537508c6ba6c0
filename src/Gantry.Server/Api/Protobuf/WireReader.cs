namespace Gantry.Server.Api.Protobuf;

/// <summary>Reads protobuf wire primitives from a span, failing on truncated or overlong input.</summary>
internal ref struct WireReader
{
    private readonly ReadOnlySpan<byte> data;

    public WireReader(ReadOnlySpan<byte> data)
    {
        this.data = data;
    }

    public int Position { get; private set; }

    public readonly bool End => Position >= data.Length;

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (Position >= data.Length)
            {
                throw new FormatException($"protobuf: a varint is cut off at byte {Position}");
            }
            var b = data[Position++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }
        throw new FormatException($"protobuf: a varint ending at byte {Position} is longer than 10 bytes");
    }

    /// <summary>Reads a length prefix and skips the bytes it covers, returning where they lie.</summary>
    public (int Start, int Length) ReadLengthDelimited()
    {
        var length = ReadVarint();
        if (length > (ulong)(data.Length - Position))
        {
            throw new FormatException($"protobuf: a value of {length} bytes at byte {Position} runs past the end of its message ({data.Length - Position} bytes left)");
        }
        var start = Position;
        Position += (int)length;
        return (start, (int)length);
    }
}
