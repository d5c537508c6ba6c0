using System.Net.Sockets;
using Gantry.Agent.Streaming;

namespace Gantry.Agent.Pods;

/// <summary><c>kubectl port-forward</c> to a pod on this node: a TCP connection to the pod's IP.</summary>
public sealed class PodPortForwardTarget(string podIp) : IPortForwardTarget
{
    public async Task<Stream> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        var client = new TcpClient();
        try
        {
            await client.ConnectAsync(podIp, port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(client.Client, ownsSocket: true);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }
}
