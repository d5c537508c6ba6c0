using System.Net;
using System.Net.Sockets;

namespace Gantry.Server.ClusterDns;

/// <summary>
/// Sends a query for a name outside the cluster zone to the upstream nameservers, in order, over the transport the
/// client used (a truncated UDP answer is passed on, so the client comes back over TCP and is forwarded over TCP).
/// The query goes out byte for byte and the upstream's answer comes back the same way.
/// </summary>
public sealed class DnsForwarder(IReadOnlyList<IPEndPoint> upstreams, TimeSpan timeout)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);

    public IReadOnlyList<IPEndPoint> Upstreams => upstreams;

    /// <summary>The first upstream's answer; null when none answered in time (the caller replies SERVFAIL).</summary>
    public async Task<byte[]?> ForwardAsync(ReadOnlyMemory<byte> query, bool tcp, CancellationToken cancellationToken)
    {
        foreach (var upstream in upstreams)
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(timeout);
            try
            {
                return tcp ? await TcpAsync(upstream, query, attempt.Token).ConfigureAwait(false) : await UdpAsync(upstream, query, attempt.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // This upstream failed or is silent: the next one is asked.
            }
        }

        return null;
    }

    private static async Task<byte[]> UdpAsync(IPEndPoint upstream, ReadOnlyMemory<byte> query, CancellationToken cancellationToken)
    {
        using var socket = new Socket(upstream.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(upstream, cancellationToken).ConfigureAwait(false);
        await socket.SendAsync(query, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[ushort.MaxValue];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);

            // Only the answer to this query (same ID) counts; anything else on the socket is dropped.
            if (received >= 12 && buffer.AsSpan(0, 2).SequenceEqual(query.Span[..2]))
            {
                return buffer[..received];
            }
        }
    }

    private static async Task<byte[]> TcpAsync(IPEndPoint upstream, ReadOnlyMemory<byte> query, CancellationToken cancellationToken)
    {
        using var socket = new Socket(upstream.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(upstream, cancellationToken).ConfigureAwait(false);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await DnsTcpFraming.WriteAsync(stream, query, cancellationToken).ConfigureAwait(false);
        return await DnsTcpFraming.ReadAsync(stream, cancellationToken).ConfigureAwait(false)
            ?? throw new IOException($"{upstream} closed the connection without answering");
    }
}
