using System.Net;
using System.Net.Sockets;
using Gantry.Server.ClusterDns;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using FakeTimeProvider = Gantry.Tests.Registry.FakeTimeProvider;

namespace Gantry.Tests.ClusterDns;

/// <summary>The handler and the server over real sockets, on 127.0.0.1 only, with a fake upstream.</summary>
public sealed class DnsServingTests
{
    /// <summary>Outside loopback, the cluster CIDR and the one local network <see cref="Recursion"/> gives.</summary>
    private static readonly IPAddress Outsider = IPAddress.Parse("203.0.113.9");

    /// <summary>Cluster CIDR 10.244.0.0/16, local network 192.168.1.0/24, whatever the test machine's interfaces are.</summary>
    private static RecursionClients Recursion() => new(
        IPNetwork.Parse("10.244.0.0/16"), () => [IPNetwork.Parse("192.168.1.0/24")], _ => false, new FakeTimeProvider(DateTimeOffset.UnixEpoch));

    private static DnsHandler Handler(ClusterZone zone, DnsForwarder forwarder) => new(zone, forwarder, Recursion());

    private static byte[] Query(string name, ushort type, ushort id = 42) =>
        DnsWriter.Write(new DnsMessage { Id = id, RecursionDesired = true, Questions = [new DnsQuestion(name, type)] });

    private static FakeDnsSource ManyEndpoints() => new FakeDnsSource()
        .Add(FakeDnsSource.ClusterIp("many", "None"))
        .Add(FakeDnsSource.Slice("many", Enumerable.Range(1, 60).Select(i => FakeDnsSource.Endpoint($"10.88.0.{i}"))));

    [Fact]
    public async Task Names_in_the_cluster_zone_get_authoritative_answers()
    {
        var handler = Handler(new ClusterZone(new FakeDnsSource().Add(FakeDnsSource.ClusterIp("web", "10.96.0.20"))), new DnsForwarder([], TimeSpan.FromSeconds(1)));

        var reply = DnsReader.Read((await handler.AnswerAsync(Query("web.default.svc.cluster.local", DnsType.A), IPAddress.Loopback, tcp: false, CancellationToken.None))!);

        Assert.Equal(42, reply.Id);
        Assert.True(reply.IsResponse && reply.Authoritative && reply.RecursionAvailable && reply.RecursionDesired);
        Assert.Equal(IPAddress.Parse("10.96.0.20"), Assert.IsType<AddressData>(Assert.Single(reply.Answers).Data).Address);
    }

    [Fact]
    public async Task A_services_reverse_name_gets_an_authoritative_PTR_and_any_other_is_forwarded()
    {
        await using var upstream = new FakeUpstream();
        var handler = Handler(new ClusterZone(new FakeDnsSource().Add(FakeDnsSource.ClusterIp("web", "10.96.0.20"))), new DnsForwarder([upstream.EndPoint], TimeSpan.FromSeconds(5)));

        var service = DnsReader.Read((await handler.AnswerAsync(Query("20.0.96.10.in-addr.arpa", DnsType.Ptr), IPAddress.Loopback, tcp: false, CancellationToken.None))!);
        var other = DnsReader.Read((await handler.AnswerAsync(Query("1.2.0.192.in-addr.arpa", DnsType.Ptr), IPAddress.Loopback, tcp: false, CancellationToken.None))!);

        Assert.True(service.Authoritative);
        Assert.Equal("web.default.svc.cluster.local", Assert.IsType<NameData>(Assert.Single(service.Answers).Data).Target);
        Assert.False(other.Authoritative);
        Assert.Equal(1, upstream.UdpQueries);
    }

    [Fact]
    public async Task Names_outside_the_cluster_zone_are_forwarded_over_the_clients_transport()
    {
        await using var upstream = new FakeUpstream();
        var handler = Handler(new ClusterZone(new FakeDnsSource()), new DnsForwarder([upstream.EndPoint], TimeSpan.FromSeconds(5)));

        var overUdp = DnsReader.Read((await handler.AnswerAsync(Query("example.org", DnsType.A, 7), IPAddress.Loopback, tcp: false, CancellationToken.None))!);
        var overTcp = DnsReader.Read((await handler.AnswerAsync(Query("example.org", DnsType.A, 8), IPAddress.Loopback, tcp: true, CancellationToken.None))!);

        Assert.Equal(7, overUdp.Id);
        Assert.Equal(8, overTcp.Id);
        Assert.False(overUdp.Authoritative);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), Assert.IsType<AddressData>(Assert.Single(overUdp.Answers).Data).Address);
        Assert.Equal(1, upstream.UdpQueries);
        Assert.Equal(1, upstream.TcpQueries);
    }

    [Fact]
    public async Task A_query_no_upstream_answers_gets_SERVFAIL()
    {
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var handler = Handler(new ClusterZone(new FakeDnsSource()), new DnsForwarder([(IPEndPoint)silent.LocalEndPoint!], TimeSpan.FromMilliseconds(200)));

        var reply = DnsReader.Read((await handler.AnswerAsync(Query("example.org", DnsType.A), IPAddress.Loopback, tcp: false, CancellationToken.None))!);

        Assert.Equal(DnsResponseCode.ServerFailure, reply.ResponseCode);
    }

    [Fact]
    public async Task A_malformed_query_gets_FORMERR()
    {
        var handler = Handler(new ClusterZone(new FakeDnsSource()), new DnsForwarder([], TimeSpan.FromSeconds(1)));

        var reply = DnsReader.Read((await handler.AnswerAsync(new byte[] { 0, 9, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 5, (byte)'a' }, IPAddress.Loopback, tcp: false, CancellationToken.None))!);

        Assert.Equal(9, reply.Id);
        Assert.Equal(DnsResponseCode.FormatError, reply.ResponseCode);
    }

    [Fact]
    public async Task An_answer_too_large_for_UDP_is_truncated_and_comes_whole_over_TCP()
    {
        using var stopping = new CancellationTokenSource();
        var listener = DnsListener.Bind(IPAddress.Loopback, 0);
        using var server = new DnsServer(listener, Handler(new ClusterZone(ManyEndpoints()), new DnsForwarder([], TimeSpan.FromSeconds(1))),
            _ => Task.CompletedTask, NullLogger<DnsServer>.Instance);
        await server.StartAsync(stopping.Token);
        var query = Query("many.default.svc.cluster.local", DnsType.A);

        var (overUdp, received) = await OverUdpAsync(listener.EndPoint, query);
        var overTcp = await OverTcpAsync(listener.EndPoint, query);
        await server.StopAsync(CancellationToken.None);

        Assert.True(received <= 512);
        Assert.True(overUdp.Truncated);
        Assert.Empty(overUdp.Answers);
        Assert.False(overTcp.Truncated);
        Assert.Equal(60, overTcp.Answers.Count);
    }

    [Fact]
    public async Task A_name_outside_the_cluster_zone_is_refused_to_a_client_outside_every_allowed_network()
    {
        await using var upstream = new FakeUpstream();
        var handler = Handler(new ClusterZone(new FakeDnsSource()), new DnsForwarder([upstream.EndPoint], TimeSpan.FromSeconds(5)));

        var reply = DnsReader.Read((await handler.AnswerAsync(Query("example.org", DnsType.A, 7), Outsider, tcp: false, CancellationToken.None))!);

        Assert.Equal(7, reply.Id);
        Assert.Equal(DnsResponseCode.Refused, reply.ResponseCode);
        Assert.True(reply.IsResponse && reply.RecursionAvailable && reply.RecursionDesired);
        Assert.False(reply.Authoritative);
        Assert.Equal(new DnsQuestion("example.org", DnsType.A), Assert.Single(reply.Questions));
        Assert.Empty(reply.Answers);
        Assert.Equal(0, upstream.UdpQueries + upstream.TcpQueries);
    }

    [Fact]
    public async Task A_name_in_the_cluster_zone_is_answered_to_a_client_outside_every_allowed_network()
    {
        var handler = Handler(new ClusterZone(new FakeDnsSource().Add(FakeDnsSource.ClusterIp("web", "10.96.0.20"))), new DnsForwarder([], TimeSpan.FromSeconds(1)));

        var reply = DnsReader.Read((await handler.AnswerAsync(Query("web.default.svc.cluster.local", DnsType.A), Outsider, tcp: false, CancellationToken.None))!);

        Assert.Equal(DnsResponseCode.NoError, reply.ResponseCode);
        Assert.True(reply.Authoritative);
        Assert.Equal(IPAddress.Parse("10.96.0.20"), Assert.IsType<AddressData>(Assert.Single(reply.Answers).Data).Address);
    }

    [Theory]
    [InlineData("10.244.3.7")]
    [InlineData("192.168.1.50")]
    public async Task A_name_outside_the_cluster_zone_is_forwarded_for_a_cluster_or_local_network_client(string client)
    {
        await using var upstream = new FakeUpstream();
        var handler = Handler(new ClusterZone(new FakeDnsSource()), new DnsForwarder([upstream.EndPoint], TimeSpan.FromSeconds(5)));

        var reply = DnsReader.Read((await handler.AnswerAsync(Query("example.org", DnsType.A), IPAddress.Parse(client), tcp: false, CancellationToken.None))!);

        Assert.Equal(DnsResponseCode.NoError, reply.ResponseCode);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), Assert.IsType<AddressData>(Assert.Single(reply.Answers).Data).Address);
        Assert.Equal(1, upstream.UdpQueries);
    }

    [Fact]
    public async Task The_server_forwards_for_a_loopback_client_over_UDP_and_TCP()
    {
        await using var upstream = new FakeUpstream();
        using var stopping = new CancellationTokenSource();
        var listener = DnsListener.Bind(IPAddress.Loopback, 0);
        using var server = new DnsServer(listener, Handler(new ClusterZone(new FakeDnsSource()), new DnsForwarder([upstream.EndPoint], TimeSpan.FromSeconds(5))),
            _ => Task.CompletedTask, NullLogger<DnsServer>.Instance);
        await server.StartAsync(stopping.Token);

        var (overUdp, _) = await OverUdpAsync(listener.EndPoint, Query("example.org", DnsType.A, 7));
        var overTcp = await OverTcpAsync(listener.EndPoint, Query("example.org", DnsType.A, 8));
        await server.StopAsync(CancellationToken.None);

        Assert.Equal(DnsResponseCode.NoError, overUdp.ResponseCode);
        Assert.Equal(DnsResponseCode.NoError, overTcp.ResponseCode);
        Assert.Equal(1, upstream.UdpQueries);
        Assert.Equal(1, upstream.TcpQueries);
    }

    /// <summary>Sends the query in one datagram; the reply and its size on the wire.</summary>
    private static async Task<(DnsMessage Reply, int Size)> OverUdpAsync(IPEndPoint server, byte[] query)
    {
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        await udp.ConnectAsync(server);
        await udp.SendAsync(query);
        var buffer = new byte[65535];
        var received = await udp.ReceiveAsync(buffer).WaitAsync(TimeSpan.FromSeconds(10));
        return (DnsReader.Read(buffer.AsMemory(0, received)), received);
    }

    private static async Task<DnsMessage> OverTcpAsync(IPEndPoint server, byte[] query)
    {
        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await tcp.ConnectAsync(server);
        await using var stream = new NetworkStream(tcp);
        await DnsTcpFraming.WriteAsync(stream, query, CancellationToken.None);
        return DnsReader.Read((await DnsTcpFraming.ReadAsync(stream, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)))!);
    }
}
