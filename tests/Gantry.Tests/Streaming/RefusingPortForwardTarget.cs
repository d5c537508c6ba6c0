using System.Net.Sockets;
using Gantry.Agent.Streaming;

namespace Gantry.Tests.Streaming;

/// <summary>A pod with nothing listening.</summary>
internal sealed class RefusingPortForwardTarget : IPortForwardTarget
{
    public Task<Stream> ConnectAsync(int port, CancellationToken cancellationToken) =>
        throw new SocketException((int)SocketError.ConnectionRefused);
}
