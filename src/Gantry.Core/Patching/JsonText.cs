using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Core.Patching;

/// <summary>
/// Equality by written text, the cheap half of comparing two JSON trees. Objects the server compares come mostly
/// from parsed bytes, and a node parsed lazily writes its bytes out without building its children: comparing what
/// two such nodes write decides the common case (a pod's spec, untouched by its status patch) without materializing
/// either tree, where a structural comparison would build a dictionary for every object in both.
/// </summary>
public static class JsonText
{
    private const int RetainedCapacity = 1 << 20;

    [ThreadStatic]
    private static Scratch? scratch;

    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> write the same JSON. True proves them equal; false proves nothing (member order, escapes or number spelling may differ).</summary>
    public static bool Same(JsonNode? a, JsonNode? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        var buffers = scratch ??= new Scratch();
        try
        {
            return buffers.Write(buffers.Left, a).SequenceEqual(buffers.Write(buffers.Right, b));
        }
        finally
        {
            if (buffers.Left.Capacity > RetainedCapacity || buffers.Right.Capacity > RetainedCapacity)
            {
                scratch = null;
                buffers.Dispose();
            }
        }
    }

    private sealed class Scratch : IDisposable
    {
        public ArrayBufferWriter<byte> Left { get; } = new(1024);

        public ArrayBufferWriter<byte> Right { get; } = new(1024);

        private readonly Utf8JsonWriter writer = new(Stream.Null);

        public ReadOnlySpan<byte> Write(ArrayBufferWriter<byte> buffer, JsonNode node)
        {
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            node.WriteTo(writer);
            writer.Flush();
            return buffer.WrittenSpan;
        }

        public void Dispose() => writer.Dispose();
    }
}
