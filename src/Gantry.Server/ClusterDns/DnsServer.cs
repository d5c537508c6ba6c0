using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.ClusterDns;

/// <summary>
/// Serves DNS on the listener's sockets once the informers the zone reads have synced (queries that arrive before
/// wait in the socket buffers): each UDP datagram and each TCP connection is answered on its own task, so one slow
/// forwarded query never holds up the others. TCP connections may carry several queries and close after
/// <see cref="TcpIdleTimeout"/> without one (RFC 7766).
/// </summary>
public sealed partial class DnsServer(DnsListener listener, DnsHandler handler, Func<CancellationToken, Task> synced, ILogger<DnsServer> logger) : BackgroundService
{
    public static readonly TimeSpan TcpIdleTimeout = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await synced(stoppingToken).ConfigureAwait(false);
            LogServing(logger, listener.EndPoint);
            await Task.WhenAll(ServeUdpAsync(stoppingToken), ServeTcpAsync(stoppingToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    public override void Dispose()
    {
        listener.Dispose();
        base.Dispose();
    }

    private async Task ServeUdpAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[ushort.MaxValue];
        while (!cancellationToken.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await listener.Udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                LogReceiveFailed(logger, ex);
                continue;
            }

            var query = buffer[..received.ReceivedBytes];
            _ = AnswerUdpAsync(query, (IPEndPoint)received.RemoteEndPoint, cancellationToken);
        }
    }

    private async Task AnswerUdpAsync(byte[] query, IPEndPoint client, CancellationToken cancellationToken)
    {
        try
        {
            if (await handler.AnswerAsync(query, client.Address, tcp: false, cancellationToken).ConfigureAwait(false) is { } reply)
            {
                await listener.Udp.SendToAsync(reply, SocketFlags.None, client, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException || (ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            // The client is gone or the server is stopping: nothing to answer.
        }
        catch (Exception ex)
        {
            LogQueryFailed(logger, ex);
        }
    }

    private async Task ServeTcpAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var connection = await listener.Tcp.AcceptAsync(cancellationToken).ConfigureAwait(false);
            _ = AnswerTcpAsync(connection, cancellationToken);
        }
    }

    private async Task AnswerTcpAsync(Socket connection, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = new NetworkStream(connection, ownsSocket: true);
            var client = ((IPEndPoint)connection.RemoteEndPoint!).Address;
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                idle.CancelAfter(TcpIdleTimeout);
                if (await DnsTcpFraming.ReadAsync(stream, idle.Token).ConfigureAwait(false) is not { } query)
                {
                    return;
                }

                if (await handler.AnswerAsync(query, client, tcp: true, cancellationToken).ConfigureAwait(false) is { } reply)
                {
                    await DnsTcpFraming.WriteAsync(stream, reply, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // Idle, closed mid-message or stopping: the connection ends.
        }
        catch (Exception ex)
        {
            LogQueryFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster DNS serving on {EndPoint} (UDP and TCP)")]
    private static partial void LogServing(ILogger logger, IPEndPoint endPoint);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cluster DNS could not receive a datagram")]
    private static partial void LogReceiveFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster DNS failed to answer a query")]
    private static partial void LogQueryFailed(ILogger logger, Exception exception);
}
