using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Gantry.Agent.Streaming.Spdy;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Streaming;

/// <summary>
/// Port-forwarding over one SPDY connection, as the kubelet does it: each local connection kubectl
/// accepts becomes a pair of streams sharing a <c>requestid</c> (<c>error</c>, then <c>data</c> with the
/// <c>port</c>). Bytes flow both ways on the data stream; failures go as text on the error stream;
/// both are closed with FIN when the pod's side of the connection ends.
/// </summary>
internal sealed class PortForwardHandler(SpdyConnection connection, IPortForwardTarget target, ILogger logger)
{
    // The kubelet's default wait for the second stream of a pair.
    private static readonly TimeSpan PairTimeout = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, PortForwardPair> _pending = new(StringComparer.Ordinal);
    private readonly List<Task> _running = [];

    /// <summary>Serves streams until the client can open no more, then waits for the forwards in flight.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connection.Closed);
        try
        {
            while (await connection.AcceptStreamAsync(session.Token) is { } stream)
            {
                await AdmitAsync(stream, session.Token);
            }
        }
        catch (Exception ex) when (StreamPump.IsPeerFailure(ex))
        {
            // The connection closed or the host is stopping; the forwards notice the same token.
        }

        Task[] running;
        lock (_running)
        {
            running = [.. _running];
        }

        await Task.WhenAll(running);
    }

    private async Task AdmitAsync(SpdyStream stream, CancellationToken cancellationToken)
    {
        var type = stream.Headers.GetValueOrDefault(StreamTypes.Header);
        var requestId = stream.Headers.GetValueOrDefault(StreamTypes.RequestIdHeader);
        if (requestId is null || type is not (StreamTypes.Data or StreamTypes.Error))
        {
            StreamingLog.StreamRefused(logger, stream.Id, type, "port-forward streams are data or error, with a requestid");
            await stream.ResetAsync(SpdyStreamStatus.RefusedStream, cancellationToken);
            return;
        }

        PortForwardPair pair;
        bool added;
        bool fresh;
        lock (_pending)
        {
            fresh = !_pending.TryGetValue(requestId, out var existing);
            pair = existing ?? new PortForwardPair(requestId);
            added = pair.TryAdd(type, stream);
            if (pair.IsComplete)
            {
                _pending.Remove(requestId);
            }
            else if (fresh)
            {
                _pending.Add(requestId, pair);
            }
        }

        if (!added)
        {
            StreamingLog.StreamRefused(logger, stream.Id, type, $"request {requestId} already has one");
            await stream.ResetAsync(SpdyStreamStatus.ProtocolError, cancellationToken);
            return;
        }

        if (pair.IsComplete)
        {
            Track(ForwardAsync(pair, cancellationToken));
        }
        else if (fresh)
        {
            Track(ExpireAsync(pair, cancellationToken));
        }
    }

    private void Track(Task task)
    {
        lock (_running)
        {
            _running.RemoveAll(done => done.IsCompleted);
            _running.Add(task);
        }
    }

    private async Task ExpireAsync(PortForwardPair pair, CancellationToken cancellationToken)
    {
        try
        {
            await pair.Completion.WaitAsync(PairTimeout, cancellationToken);
            return;
        }
        catch (TimeoutException)
        {
            // Reported below, unless the pair completed at the last moment.
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (_pending)
        {
            if (pair.IsComplete || !_pending.Remove(pair.RequestId))
            {
                return;
            }
        }

        StreamingLog.PortForwardPairIncomplete(logger, pair.RequestId);
        if (pair.Error is { } error)
        {
            await ReportAsync(error, $"timed out waiting for the data stream of request {pair.RequestId}");
        }

        await DisposeAsync(pair);
    }

    private async Task ForwardAsync(PortForwardPair pair, CancellationToken cancellationToken)
    {
        var data = pair.Data!;
        var error = pair.Error!;
        try
        {
            var portHeader = data.Headers.GetValueOrDefault(StreamTypes.PortHeader);
            if (!int.TryParse(portHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                await ReportAsync(error, $"invalid port {portHeader}");
                return;
            }

            Stream upstream;
            try
            {
                upstream = await target.ConnectAsync(port, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                StreamingLog.PortForwardFailed(logger, port, ex);
                await ReportAsync(error, $"error forwarding port {port} to pod: {ex.Message}");
                return;
            }

            await using (upstream)
            {
                await RelayAsync(data, upstream, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The connection closed while connecting to the pod.
        }
        finally
        {
            await DisposeAsync(pair);
        }
    }

    /// <summary>
    /// Relays until the pod's side ends. When the client finishes sending first, the pod gets a
    /// half-close and may still answer; when the pod closes first, the client gets FIN and whatever
    /// it still sends is dropped, as a kubelet does.
    /// </summary>
    private static async Task RelayAsync(SpdyStream data, Stream upstream, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var fromClient = StreamPump.CopyAsync(data, upstream, stop.Token);
        var toClient = StreamPump.CopyAsync(upstream, data, stop.Token);
        if (await Task.WhenAny(fromClient, toClient) == fromClient && await fromClient)
        {
            HalfClose(upstream);
            await toClient;
        }

        await stop.CancelAsync();
        await Task.WhenAll(fromClient, toClient);
    }

    private static void HalfClose(Stream upstream)
    {
        if (upstream is NetworkStream network)
        {
            try
            {
                network.Socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // The pod already closed the connection; the relay ends with it.
            }
        }
    }

    private static async Task ReportAsync(SpdyStream error, string message)
    {
        try
        {
            await error.WriteAsync(Encoding.UTF8.GetBytes(message));
        }
        catch (Exception ex) when (StreamPump.IsPeerFailure(ex))
        {
            // The client is gone and cannot be told.
        }
    }

    private static async Task DisposeAsync(PortForwardPair pair)
    {
        // The data stream first: kubectl waits for its end before it reads the error stream.
        if (pair.Data is { } data)
        {
            await data.DisposeAsync();
        }

        if (pair.Error is { } error)
        {
            await error.DisposeAsync();
        }
    }
}
