using Gantry.Agent.Streaming.Spdy;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Streaming;

/// <summary>
/// Exec over SPDY: the client opens one stream per channel, with a <c>streamtype</c> header, before
/// it sends anything. Outputs end with FIN; the error stream carries the outcome and then FIN.
/// </summary>
internal sealed class SpdyExecChannels : IExecChannels
{
    // The kubelet's default: how long the client may take to open every stream it asked for.
    private static readonly TimeSpan StreamCreationTimeout = TimeSpan.FromSeconds(30);

    // kubectl closes the connection as soon as it has read the error stream; closing it ourselves
    // first could reset data still in flight.
    private static readonly TimeSpan Linger = TimeSpan.FromSeconds(5);

    private readonly SpdyConnection _connection;
    private readonly Task _reading;
    private readonly string _protocol;
    private readonly IReadOnlyDictionary<string, SpdyStream> _streams;

    private SpdyExecChannels(SpdyConnection connection, Task reading, string protocol, IReadOnlyDictionary<string, SpdyStream> streams)
    {
        _connection = connection;
        _reading = reading;
        _protocol = protocol;
        _streams = streams;
    }

    public Stream? Stdin => _streams.GetValueOrDefault(StreamTypes.Stdin);

    public Stream? Resize => _streams.GetValueOrDefault(StreamTypes.Resize);

    public Stream? Stdout => _streams.GetValueOrDefault(StreamTypes.Stdout);

    public Stream? Stderr => _streams.GetValueOrDefault(StreamTypes.Stderr);

    public CancellationToken ClientGone => _connection.Closed;

    private SpdyStream Error => _streams[StreamTypes.Error];

    /// <summary>
    /// Waits for the client to open the streams <paramref name="request"/> implies; null (with the
    /// connection disposed) when it does not in time or disconnects. The channels own the connection.
    /// </summary>
    public static async Task<SpdyExecChannels?> OpenAsync(
        SpdyConnection connection, string protocol, ExecRequest request, ILogger logger, CancellationToken cancellationToken)
    {
        var reading = connection.Start();
        var expected = new HashSet<string>(StringComparer.Ordinal) { StreamTypes.Error };
        AddIf(expected, request.Stdin, StreamTypes.Stdin);
        AddIf(expected, request.Stdout, StreamTypes.Stdout);
        AddIf(expected, request.Stderr, StreamTypes.Stderr);
        AddIf(expected, request.Tty && StreamProtocols.HasResizeStream(protocol), StreamTypes.Resize);

        var streams = new Dictionary<string, SpdyStream>(StringComparer.Ordinal);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StreamCreationTimeout);
        try
        {
            while (streams.Count < expected.Count)
            {
                var stream = await connection.AcceptStreamAsync(deadline.Token);
                if (stream is null)
                {
                    break;
                }

                var type = stream.Headers.GetValueOrDefault(StreamTypes.Header);
                if (type is null || !expected.Contains(type) || streams.ContainsKey(type))
                {
                    StreamingLog.StreamRefused(logger, stream.Id, type, "not a stream this exec expects");
                    await stream.ResetAsync(SpdyStreamStatus.RefusedStream, deadline.Token);
                    continue;
                }

                streams.Add(type, stream);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Timed out: reported below with the streams still missing.
        }

        if (streams.Count == expected.Count)
        {
            return new SpdyExecChannels(connection, reading, protocol, streams);
        }

        StreamingLog.ExecStreamsMissing(logger, string.Join(", ", expected.Except(streams.Keys)));
        await connection.DisposeAsync();
        return null;
    }

    public async Task FinishAsync(ExecStatus status, CancellationToken cancellationToken)
    {
        foreach (var output in new[] { StreamTypes.Stdout, StreamTypes.Stderr })
        {
            if (_streams.TryGetValue(output, out var stream))
            {
                await stream.CloseWriteAsync(cancellationToken);
            }
        }

        var payload = status.Encode(_protocol);
        if (payload.Length > 0)
        {
            await Error.WriteAsync(payload, cancellationToken);
        }

        await Error.CloseWriteAsync(cancellationToken);
        try
        {
            // Not cancellable: the client leaving is exactly what this waits for.
            await _reading.WaitAsync(Linger, CancellationToken.None);
        }
        catch (TimeoutException)
        {
            // The client kept the connection open; disposal closes it.
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var stream in _streams.Values)
        {
            await stream.DisposeAsync();
        }

        await _connection.DisposeAsync();
    }

    private static void AddIf(HashSet<string> set, bool condition, string value)
    {
        if (condition)
        {
            set.Add(value);
        }
    }
}
