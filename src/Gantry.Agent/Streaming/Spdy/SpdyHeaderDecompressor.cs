using System.Buffers;

namespace Gantry.Agent.Streaming.Spdy;

/// <summary>
/// Inflates the header blocks one endpoint receives, each a continuation of the peer's single zlib
/// stream, supplying the SPDY/3 dictionary when the stream asks for it.
/// </summary>
internal sealed class SpdyHeaderDecompressor : IDisposable
{
    // Far above anything kubectl sends, low enough that a hostile block cannot exhaust memory.
    private const int MaxBlockSize = 1 << 20;

    private readonly ZStream _inflater = ZStream.CreateInflater();
    private readonly ArrayBufferWriter<byte> _block = new();

    public IReadOnlyDictionary<string, string> Decompress(ReadOnlySpan<byte> compressed)
    {
        _block.ResetWrittenCount();
        _inflater.Inflate(compressed, _block, SpdyDictionary.Pinned, MaxBlockSize);
        return SpdyHeaderBlock.Decode(_block.WrittenSpan);
    }

    public void Dispose() => _inflater.Dispose();
}
