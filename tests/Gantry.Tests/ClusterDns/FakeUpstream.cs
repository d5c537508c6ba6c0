using System.Net;
using System.Net.Sockets;
using Gantry.Server.ClusterDns;

namespace Gantry.Tests.ClusterDns;

/// <summary>A nameserver on 127.0.0.1 (UDP and TCP, one port) that answers every A question with 192.0.2.1, counting what it got.</summary>
internal sealed class FakeUpstream : IAsyncDisposable
{
    private readonly DnsListener _listener = DnsListener.Bind(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _udp;
    private readonly Task _tcp;

    public FakeUpstream()
    {
        _udp = ServeUdpAsync();
        _tcp = ServeTcpAsync();
    }

    public IPEndPoint EndPoint => _listener.EndPoint;

    public int UdpQueries { get; private set; }

    public int TcpQueries { get; private set; }

    public static byte[] Answer(byte[] query)
    {
        var request = DnsReader.Read(query);
        return DnsWriter.Write(request with
        {
            IsResponse = true,
            RecursionAvailable = true,
            Answers = [new DnsRecord(request.Questions[0].Name, DnsType.A, DnsType.ClassIn, 300, new AddressData(IPAddress.Parse("192.0.2.1")))],
        });
    }

    private async Task ServeUdpAsync()
    {
        var buffer = new byte[65535];
        while (!_stop.IsCancellationRequested)
        {
            var received = await _listener.Udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            UdpQueries++;
            await _listener.Udp.SendToAsync(Answer(buffer[..received.ReceivedBytes]), SocketFlags.None, received.RemoteEndPoint, _stop.Token);
        }
    }

    private async Task ServeTcpAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            using var connection = await _listener.Tcp.AcceptAsync(_stop.Token);
            await using var stream = new NetworkStream(connection);
            var query = await DnsTcpFraming.ReadAsync(stream, _stop.Token);
            TcpQueries++;
            await DnsTcpFraming.WriteAsync(stream, Answer(query!), _stop.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await Task.WhenAll(_udp, _tcp).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }
}
