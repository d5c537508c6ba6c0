using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Gantry.Agent.Streaming.Spdy;

/// <summary>
/// The uncompressed SPDY/3 name/value block: a count, then length-prefixed names and values.
/// Several values of one name travel NUL-separated in a single value, and are kept that way here.
/// </summary>
internal static class SpdyHeaderBlock
{
    public static byte[] Encode(IReadOnlyDictionary<string, string> headers)
    {
        var block = new ArrayBufferWriter<byte>();
        WriteUInt32(block, (uint)headers.Count);
        foreach (var (name, value) in headers)
        {
            // SPDY requires lower-case names; Go's framer reports anything else as a protocol error.
            WriteString(block, name.ToLowerInvariant());
            WriteString(block, value);
        }

        return block.WrittenSpan.ToArray();
    }

    public static IReadOnlyDictionary<string, string> Decode(ReadOnlySpan<byte> block)
    {
        var count = ReadUInt32(ref block);
        // Every pair needs at least its two lengths, which bounds a hostile count before allocating.
        if (count > (uint)block.Length / 8)
        {
            throw new InvalidDataException($"A header block announces {count} headers but holds {block.Length} bytes.");
        }

        var headers = new Dictionary<string, string>((int)count, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < count; i++)
        {
            var name = ReadString(ref block).ToLowerInvariant();
            var value = ReadString(ref block);
            headers[name] = headers.TryGetValue(name, out var earlier) ? earlier + "\0" + value : value;
        }

        if (!block.IsEmpty)
        {
            throw new InvalidDataException($"A header block has {block.Length} bytes after its last header.");
        }

        return headers;
    }

    private static void WriteUInt32(ArrayBufferWriter<byte> block, uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(block.GetSpan(4), value);
        block.Advance(4);
    }

    private static void WriteString(ArrayBufferWriter<byte> block, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteUInt32(block, (uint)length);
        Encoding.UTF8.GetBytes(value, block.GetSpan(length));
        block.Advance(length);
    }

    private static uint ReadUInt32(ref ReadOnlySpan<byte> block)
    {
        if (block.Length < 4)
        {
            throw new InvalidDataException("A header block ends in the middle of a length.");
        }

        var value = BinaryPrimitives.ReadUInt32BigEndian(block);
        block = block[4..];
        return value;
    }

    private static string ReadString(ref ReadOnlySpan<byte> block)
    {
        var length = ReadUInt32(ref block);
        if (length > (uint)block.Length)
        {
            throw new InvalidDataException($"A header block announces a {length}-byte string but holds {block.Length} bytes.");
        }

        var value = Encoding.UTF8.GetString(block[..(int)length]);
        block = block[(int)length..];
        return value;
    }
}
