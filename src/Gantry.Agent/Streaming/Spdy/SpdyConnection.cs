using System.Collections.Frozen;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Streaming.Spdy;

/// <summary>
/// The server side of a SPDY/3.1 connection over any duplex byte stream (an upgraded HTTP/1.1
/// connection, or a WebSocket carrying the bytes). Every stream the client opens is accepted with an
/// empty SYN_REPLY and handed out by <see cref="AcceptStreamAsync"/>; client PINGs are echoed.
/// </summary>
/// <remarks>
/// Flow control is not enforced in either direction: kubectl's framer (Go's spdystream) never sends
/// WINDOW_UPDATE and ignores the ones it receives, so honouring the 64 KiB initial window would stall
/// every transfer. Back-pressure comes from the transport instead: a stream whose reader falls behind
/// by a megabyte pauses the read loop, exactly as spdystream does on its side.
/// </remarks>
internal sealed class SpdyConnection : IAsyncDisposable
{
    private static readonly IReadOnlyDictionary<string, string> NoHeaders = FrozenDictionary<string, string>.Empty;

    private readonly Stream _transport;
    private readonly ILogger _logger;
    private readonly SpdyHeaderCompressor _compressor = new();
    private readonly SpdyHeaderDecompressor _decompressor = new();
    private readonly SpdyFrameReader _reader;
    private readonly SpdyFrameWriter _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Dictionary<uint, SpdyStream> _streams = [];
    private readonly Channel<SpdyStream> _accepted = Channel.CreateUnbounded<SpdyStream>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly CancellationTokenSource _closed = new();
    private Task? _reading;
    private uint _lastStreamId;
    private bool _peerGoneAway;
    private int _disposed;

    public SpdyConnection(Stream transport, ILogger logger)
    {
        _transport = transport;
        _logger = logger;
        _reader = new SpdyFrameReader(transport, _decompressor);
        _writer = new SpdyFrameWriter(transport, _compressor);
    }

    /// <summary>Cancelled once the connection can carry nothing more: the peer left, broke the protocol, or we disposed it.</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>Starts reading frames; the task completes when the connection ends, whatever the reason.</summary>
    public Task Start()
    {
        if (_reading is not null)
        {
            throw new InvalidOperationException("The connection is already reading.");
        }

        _reading = Task.Run(ReadLoopAsync);
        return _reading;
    }

    /// <summary>The next stream the client opened, already replied to; null once the client can open no more.</summary>
    public async ValueTask<SpdyStream?> AcceptStreamAsync(CancellationToken cancellationToken)
    {
        while (await _accepted.Reader.WaitToReadAsync(cancellationToken))
        {
            if (_accepted.Reader.TryRead(out var stream))
            {
                return stream;
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _closed.CancelAsync();
        await _transport.DisposeAsync();
        if (_reading is not null)
        {
            await _reading;
        }

        // Wait out a writer that is still inside the compressor before freeing it; later writers see
        // the connection closed and never reach the compressor.
        await _writeLock.WaitAsync();
        try
        {
            _compressor.Dispose();
            _decompressor.Dispose();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Writes one frame; frames from concurrent callers never interleave.</summary>
    internal async ValueTask SendAsync(SpdyFrame frame, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (_closed.IsCancellationRequested)
            {
                throw new IOException("The SPDY connection is closed.");
            }

            // The caller's token only bounds the wait for the lock: abandoning a frame half-written
            // would corrupt the connection for every other stream.
            await _writer.WriteAsync(frame, _closed.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException("The SPDY connection closed while a frame was being written.");
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Drops a stream from the table once both sides are done with it, or at once when forced.</summary>
    internal void Forget(SpdyStream stream, bool force = false)
    {
        lock (_streams)
        {
            if (force || (stream.LocalFinished && stream.RemoteFinished))
            {
                _streams.Remove(stream.Id);
            }
        }
    }

    private async Task ReadLoopAsync()
    {
        Exception? failure = null;
        try
        {
            while (await _reader.ReadAsync(_closed.Token) is { } frame)
            {
                await HandleAsync(frame);
            }
        }
        catch (InvalidDataException ex)
        {
            failure = ex;
            StreamingLog.SpdyProtocolError(_logger, ex);
            await TryGoAwayAsync(SpdyGoAwayStatus.ProtocolError);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            failure = ex;
        }
        finally
        {
            _accepted.Writer.TryComplete();
            SpdyStream[] orphans;
            lock (_streams)
            {
                orphans = [.. _streams.Values];
                _streams.Clear();
            }

            foreach (var stream in orphans)
            {
                stream.Abort(new IOException("The SPDY connection ended before the stream did.", failure));
            }

            await _closed.CancelAsync();
            StreamingLog.SpdyConnectionEnded(_logger, failure?.Message ?? "the peer closed it");
        }
    }

    private async ValueTask HandleAsync(SpdyFrame frame)
    {
        switch (frame)
        {
            case SpdySynStreamFrame open:
                await AcceptAsync(open);
                break;
            case SpdyDataFrame data:
                // Frames for streams already reset or finished are stragglers; spdystream drops them too.
                if (Find(data.StreamId) is { } target)
                {
                    if (!data.Data.IsEmpty)
                    {
                        await target.DeliverAsync(data.Data, _closed.Token);
                    }

                    if (data.Fin)
                    {
                        target.FinishRemote();
                        Forget(target);
                    }
                }

                break;
            case SpdyRstStreamFrame reset:
                if (Find(reset.StreamId) is { } victim)
                {
                    victim.Abort(new IOException($"The peer reset SPDY stream {reset.StreamId} ({reset.Status})."));
                    Forget(victim, force: true);
                }

                break;
            case SpdyPingFrame ping:
                // Odd identifiers are the client's pings; even ones would answer ours, and we send none.
                if ((ping.Id & 1) == 1)
                {
                    await SendAsync(ping, _closed.Token);
                }

                break;
            case SpdyGoAwayFrame:
                _peerGoneAway = true;
                _accepted.Writer.TryComplete();
                break;
            default:
                // SETTINGS and WINDOW_UPDATE only concern flow control (see the remarks above); HEADERS
                // and SYN_REPLY carry nothing the streaming protocols use.
                break;
        }
    }

    private async ValueTask AcceptAsync(SpdySynStreamFrame open)
    {
        // Client stream identifiers are odd and strictly increasing; anything else is refused the way
        // spdystream refuses it.
        if (open.StreamId % 2 == 0 || open.StreamId <= _lastStreamId)
        {
            await SendAsync(new SpdyRstStreamFrame(open.StreamId, SpdyStreamStatus.ProtocolError), _closed.Token);
            return;
        }

        _lastStreamId = open.StreamId;
        if (_peerGoneAway)
        {
            await SendAsync(new SpdyRstStreamFrame(open.StreamId, SpdyStreamStatus.RefusedStream), _closed.Token);
            return;
        }

        var stream = new SpdyStream(this, open.StreamId, open.Headers, localFinished: open.Unidirectional);
        lock (_streams)
        {
            _streams[open.StreamId] = stream;
        }

        if (open.Fin)
        {
            stream.FinishRemote();
        }

        if (!open.Unidirectional)
        {
            await SendAsync(new SpdySynReplyFrame(open.StreamId, NoHeaders), _closed.Token);
        }

        _accepted.Writer.TryWrite(stream);
    }

    private SpdyStream? Find(uint id)
    {
        lock (_streams)
        {
            return _streams.GetValueOrDefault(id);
        }
    }

    private async ValueTask TryGoAwayAsync(SpdyGoAwayStatus status)
    {
        try
        {
            await SendAsync(new SpdyGoAwayFrame(_lastStreamId, status), CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // Already unreachable: nothing more to tell the peer.
        }
    }
}
