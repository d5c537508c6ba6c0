using System.Buffers;

namespace Gantry.Agent.Streaming.Spdy;

/// <summary>
/// Compresses the header blocks one endpoint sends. SPDY keeps one zlib stream per direction for the
/// whole connection, so blocks must be compressed in the order they go on the wire.
/// </summary>
internal sealed class SpdyHeaderCompressor : IDisposable
{
    private readonly ZStream _deflater = ZStream.CreateDeflater(SpdyDictionary.Pinned);

    public void Compress(IReadOnlyDictionary<string, string> headers, IBufferWriter<byte> output) =>
        _deflater.Deflate(SpdyHeaderBlock.Encode(headers), output);

    public void Dispose() => _deflater.Dispose();
}
