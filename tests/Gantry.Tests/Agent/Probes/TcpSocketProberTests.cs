using System.Net;
using System.Net.Sockets;
using Gantry.Agent.Probes;
using Xunit;

namespace Gantry.Tests.Agent.Probes;

public sealed class TcpSocketProberTests
{
    [Fact]
    public async Task A_listening_port_is_a_success()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var outcome = await TcpSocketProber.ProbeAsync("127.0.0.1", port, TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal(new ProbeOutcome(ProbeResult.Success, ""), outcome);
    }

    [Fact]
    public async Task A_closed_port_is_a_failure_with_the_dial_error()
    {
        var port = HttpGetProberTests.ClosedPort();

        var outcome = await TcpSocketProber.ProbeAsync("127.0.0.1", port, TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal(new ProbeOutcome(ProbeResult.Failure, $"dial tcp 127.0.0.1:{port}: connect: connection refused"), outcome);
    }
}
