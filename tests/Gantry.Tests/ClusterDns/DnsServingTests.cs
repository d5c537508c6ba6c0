using System.Net;
using System.Net.Sockets;
using Gantry.Server.ClusterDns;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Gantry.Tests.ClusterDns;

/// <summary>The handler and the server over real sockets, on 127.0.0.1 only, with a fake upstream.</summary>
public sealed class DnsServingTests
{
    private static byte[] Query(string name, ushort type, ushort id = 42) =>
        DnsWriter.Write(new DnsMessage { Id = id, RecursionDesired = true, Questions = [new DnsQuestion(name, type)] });

    private static FakeDnsSource ManyEndpoints() => new FakeDnsSource()
        .Add(FakeDnsSource.ClusterIp("many", "None"))
        .Add(FakeDnsSource.Slice("many", Enumerable.Range(1, 60).Select(i => FakeDnsSource.Endpoint($"10.88.0.{i}"))));

    [Fact]
    public async Task Names_in_the_cluster_zone_get_authoritative_answers()
    {
        var handler = new DnsHandler(new ClusterZone(new FakeDnsSource().Add(FakeDnsSource.ClusterIp("web", "10.96.0.20"))), new DnsForwarder([], TimeSpan.FromSeconds(1)));

        var reply = DnsReader.Read((await handler.AnswerAsync(Query("web.default.svc.cluster.local", DnsType.A), tcp: false, CancellationToken.None))!);

        Assert.Equal(42, reply.Id);
        Assert.True(reply.IsResponse && reply.Authoritative && reply.RecursionAvailable && reply.RecursionDesired);
        Assert.Equal(IPAddress.Parse("10.96.0.20"), Assert.IsType<AddressData>(Assert.Single(reply.Answers).Data).Address);
    }

    [Fact]
    public async Task Names_outside_the_cluster_zone_are_forwarded_over_the_clients_transport()
    {
        await using var upstream = new FakeUpstream();
        var handler = new DnsHandler(new ClusterZone(new FakeDnsSource()), new DnsForwarder([upstream.EndPoint], TimeSpan.FromSeconds(5)));

        var overUdp = DnsReader.Read((await handler.AnswerAsync(Query("example.org", DnsType.A, 7), tcp: false, CancellationToken.None))!);
        var overTcp = DnsReader.Read((await handler.AnswerAsync(Query("example.org", DnsType.A, 8), tcp: true, CancellationToken.None))!);

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
        var handler = new DnsHandler(new ClusterZone(new FakeDnsSource()), new DnsForwarder([(IPEndPoint)silent.LocalEndPoint!], TimeSpan.FromMilliseconds(200)));

        var reply = DnsReader.Read((await handler.AnswerAsync(Query("example.org", DnsType.A), tcp: false, CancellationToken.None))!);

        Assert.Equal(DnsResponseCode.ServerFailure, reply.ResponseCode);
    }

    [Fact]
    public async Task A_malformed_query_gets_FORMERR()
    {
        var handler = new DnsHandler(new ClusterZone(new FakeDnsSource()), new DnsForwarder([], TimeSpan.FromSeconds(1)));

        var reply = DnsReader.Read((await handler.AnswerAsync(new byte[] { 0, 9, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 5, (byte)'a' }, tcp: false, CancellationToken.None))!);

        Assert.Equal(9, reply.Id);
        Assert.Equal(DnsResponseCode.FormatError, reply.ResponseCode);
    }

    [Fact]
    public async Task An_answer_too_large_for_UDP_is_truncated_and_comes_whole_over_TCP()
    {
        using var stopping = new CancellationTokenSource();
        var listener = DnsListener.Bind(IPAddress.Loopback, 0);
        using var server = new DnsServer(listener, new DnsHandler(new ClusterZone(ManyEndpoints()), new DnsForwarder([], TimeSpan.FromSeconds(1))),
            _ => Task.CompletedTask, NullLogger<DnsServer>.Instance);
        await server.StartAsync(stopping.Token);
        var query = Query("many.default.svc.cluster.local", DnsType.A);

        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        await udp.ConnectAsync(listener.EndPoint);
        await udp.SendAsync(query);
        var buffer = new byte[65535];
        var received = await udp.ReceiveAsync(buffer).WaitAsync(TimeSpan.FromSeconds(10));
        var overUdp = DnsReader.Read(buffer.AsMemory(0, received));

        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await tcp.ConnectAsync(listener.EndPoint);
        await using var stream = new NetworkStream(tcp);
        await DnsTcpFraming.WriteAsync(stream, query, CancellationToken.None);
        var overTcp = DnsReader.Read((await DnsTcpFraming.ReadAsync(stream, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)))!);
        await server.StopAsync(CancellationToken.None);

        Assert.True(received <= 512);
        Assert.True(overUdp.Truncated);
        Assert.Empty(overUdp.Answers);
        Assert.False(overTcp.Truncated);
        Assert.Equal(60, overTcp.Answers.Count);
    }
}
