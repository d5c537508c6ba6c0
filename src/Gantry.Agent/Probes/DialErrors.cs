using System.Net.Sockets;

namespace Gantry.Agent.Probes;

/// <summary>
/// Connection failures in the words of Go's net package ("dial tcp 10.88.0.5:8080: connect:
/// connection refused"), which is what users read in kubelet's probe events.
/// </summary>
internal static class DialErrors
{
    public static string Describe(string address, SocketException exception) => $"dial tcp {address}: " + exception.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connect: connection refused",
        SocketError.TimedOut => "i/o timeout",
        SocketError.HostUnreachable => "connect: no route to host",
        SocketError.NetworkUnreachable => "connect: network is unreachable",
        SocketError.HostNotFound or SocketError.NoData => $"lookup {address}: no such host",
        _ => exception.Message,
    };

    public static string Timeout(string address) => $"dial tcp {address}: i/o timeout";
}
