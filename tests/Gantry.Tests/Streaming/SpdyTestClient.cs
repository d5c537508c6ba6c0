using Gantry.Agent.Streaming.Spdy;

namespace Gantry.Tests.Streaming;

/// <summary>The client end of a SPDY connection, driven frame by frame the way kubectl's framer would.</summary>
internal sealed class SpdyTestClient : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly SpdyHeaderCompressor _compressor = new();
    private readonly SpdyHeaderDecompressor _decompressor = new();
    private readonly SpdyFrameWriter _writer;
    private readonly SpdyFrameReader _reader;

    public SpdyTestClient(Stream connection)
    {
        _writer = new SpdyFrameWriter(connection, _compressor);
        _reader = new SpdyFrameReader(connection, _decompressor);
    }

    public Task SendAsync(SpdyFrame frame) => _writer.WriteAsync(frame, CancellationToken.None).AsTask();

    public Task OpenAsync(uint id, params (string Name, string Value)[] headers) =>
        SendAsync(new SpdySynStreamFrame(id, 0, 0, headers.ToDictionary(header => header.Name, header => header.Value)));

    /// <summary>The next frame, or null when the server closed the connection.</summary>
    public Task<SpdyFrame?> ReadAsync() => _reader.ReadAsync(CancellationToken.None).AsTask().WaitAsync(Patience);

    public async Task<T> ExpectAsync<T>()
        where T : SpdyFrame
    {
        var frame = await ReadAsync();
        return frame as T ?? throw new InvalidOperationException($"Expected a {typeof(T).Name} but got {frame?.ToString() ?? "the end of the connection"}.");
    }

    /// <summary>Reads frames until every named stream has sent FIN, collecting what each carried.</summary>
    public async Task<Dictionary<uint, string>> CollectUntilFinishedAsync(params uint[] streams)
    {
        var received = streams.ToDictionary(id => id, _ => new MemoryStream());
        var open = streams.ToHashSet();
        while (open.Count > 0)
        {
            switch (await ReadAsync())
            {
                case SpdyDataFrame data when received.TryGetValue(data.StreamId, out var sink):
                    sink.Write(data.Data.Span);
                    if (data.Fin)
                    {
                        open.Remove(data.StreamId);
                    }

                    break;
                case null:
                    throw new InvalidOperationException($"The connection ended with streams {string.Join(", ", open)} still open.");
            }
        }

        return received.ToDictionary(entry => entry.Key, entry => System.Text.Encoding.UTF8.GetString(entry.Value.ToArray()));
    }

    public void Dispose()
    {
        _compressor.Dispose();
        _decompressor.Dispose();
    }
}
