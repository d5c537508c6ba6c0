namespace Gantry.Agent.Simulated;

/// <summary>
/// Splits a watch stream into newline-delimited events, as raw bytes: for readers that look at a few fields of each event
/// and decode the object only when they need it (the simulated nodes, the benches' measuring watches).
/// </summary>
public sealed class WatchLineReader
{
    private readonly Stream _stream;
    private byte[] _buffer = new byte[256 * 1024];

    public WatchLineReader(Stream stream) => _stream = stream;

    public delegate void LineHandler(ReadOnlySpan<byte> line);

    /// <summary>Reads until the stream ends or is cancelled; the handler sees each complete line.</summary>
    public async Task ReadAsync(LineHandler onLine, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (true)
        {
            if (filled == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            int read;
            try
            {
                read = await _stream.ReadAsync(_buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (read == 0)
            {
                return;
            }

            filled += read;
            filled = Consume(filled, onLine);
        }
    }

    /// <returns>How many bytes of an incomplete line are left at the start of the buffer.</returns>
    private int Consume(int filled, LineHandler onLine)
    {
        var start = 0;
        var span = _buffer.AsSpan(0, filled);
        int newline;
        while ((newline = span[start..].IndexOf((byte)'\n')) >= 0)
        {
            onLine(span.Slice(start, newline));
            start += newline + 1;
        }

        span[start..].CopyTo(_buffer);
        return filled - start;
    }
}
