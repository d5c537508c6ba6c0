using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Server.Registry;

/// <summary>
/// A buffer kept per thread for writing a JSON tree out. Every write of the registry serializes the object it stores,
/// and most write it out once more to decode it: a fresh buffer each time grew through 4, 8 and 16 KiB for a pod before
/// the copy that was kept. Disposing gives the buffer back to the thread.
/// </summary>
internal sealed class JsonScratch : IDisposable
{
    private const int RetainedCapacity = 1 << 20;

    [ThreadStatic]
    private static JsonScratch? cached;

    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private readonly Utf8JsonWriter _writer = new(Stream.Null);

    /// <summary>This thread's buffer, or a new one while it is taken (a write nested in another).</summary>
    public static JsonScratch Rent()
    {
        var scratch = cached ?? new JsonScratch();
        cached = null;
        return scratch;
    }

    /// <summary>The node's compact UTF-8, an exact-size copy of its own.</summary>
    public static byte[] ToArray(JsonNode node)
    {
        using var scratch = Rent();
        return scratch.Write(node).ToArray();
    }

    /// <summary>Writes the node out; the bytes are valid until the next write or until this is disposed.</summary>
    public ReadOnlyMemory<byte> Write(JsonNode node)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        node.WriteTo(_writer);
        _writer.Flush();
        return _buffer.WrittenMemory;
    }

    public void Dispose()
    {
        if (_buffer.Capacity <= RetainedCapacity)
        {
            cached = this;
        }
        else
        {
            _writer.Dispose();
        }
    }
}
