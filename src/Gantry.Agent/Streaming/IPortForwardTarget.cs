namespace Gantry.Agent.Streaming;

/// <summary>
/// Where <c>kubectl port-forward</c> connects: one pod's network namespace on this node.
/// The runtime implements this; <see cref="PortForwardSession"/> does the protocol work.
/// </summary>
public interface IPortForwardTarget
{
    /// <summary>
    /// Opens a TCP connection to <paramref name="port"/> (1–65535) inside the pod. The session owns and
    /// disposes the returned stream. Return a <see cref="System.Net.Sockets.NetworkStream"/> where
    /// possible: the client's end of data is then passed on as a TCP half-close, which request/response
    /// protocols that read to end-of-file rely on.
    /// </summary>
    /// <remarks>
    /// Any exception is written to the client's error stream for this connection
    /// (<c>error forwarding port 8080 to pod: Connection refused</c>); kubectl prints it and, as with a
    /// real kubelet, ends the whole port-forward with <c>lost connection to pod</c>.
    /// </remarks>
    Task<Stream> ConnectAsync(int port, CancellationToken cancellationToken);
}
