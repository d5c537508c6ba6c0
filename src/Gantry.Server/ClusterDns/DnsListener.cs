using System.Net;
using System.Net.Sockets;

namespace Gantry.Server.ClusterDns;

/// <summary>
/// The DNS server's two sockets, UDP and TCP on one address and port, bound before the server starts so the
/// <c>kube-dns</c> endpoints can name the real port. Port 0 takes a free ephemeral port (UDP first, then TCP on the same
/// number, trying again when TCP finds it taken), so several servers on one machine never collide.
/// </summary>
public sealed class DnsListener : IDisposable
{
    private const int Attempts = 20;

    private DnsListener(Socket udp, Socket tcp, IPEndPoint endPoint)
    {
        Udp = udp;
        Tcp = tcp;
        EndPoint = endPoint;
    }

    public Socket Udp { get; }

    public Socket Tcp { get; }

    public IPEndPoint EndPoint { get; }

    public static DnsListener Bind(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        for (var attempt = 1; ; attempt++)
        {
            var udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            Socket? tcp = null;
            try
            {
                udp.Bind(new IPEndPoint(address, port));
                var bound = (IPEndPoint)udp.LocalEndPoint!;
                tcp = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                tcp.Bind(bound);
                tcp.Listen(128);
                return new DnsListener(udp, tcp, bound);
            }
            catch (SocketException ex) when (port == 0 && ex.SocketErrorCode == SocketError.AddressAlreadyInUse && attempt < Attempts)
            {
                udp.Dispose();
                tcp?.Dispose();
            }
            catch
            {
                udp.Dispose();
                tcp?.Dispose();
                throw;
            }
        }
    }

    public void Dispose()
    {
        Udp.Dispose();
        Tcp.Dispose();
    }
}
