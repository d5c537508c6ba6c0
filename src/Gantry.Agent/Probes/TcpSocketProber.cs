using System.Net.Sockets;

namespace Gantry.Agent.Probes;

/// <summary>A tcpSocket probe: success when a TCP connection opens within the timeout; the connection is closed at once.</summary>
public static class TcpSocketProber
{
    public static async Task<ProbeOutcome> ProbeAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var address = ProbePorts.JoinHostPort(host, port);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(host, port, deadline.Token).ConfigureAwait(false);
            return new ProbeOutcome(ProbeResult.Success, "");
        }
        catch (SocketException ex)
        {
            return new ProbeOutcome(ProbeResult.Failure, DialErrors.Describe(address, ex));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeOutcome(ProbeResult.Failure, DialErrors.Timeout(address));
        }
    }
}
