using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gantry.Bench.ServiceProxy;

/// <summary>
/// The client both paths share: one HTTP/1.0 GET on a fresh TCP connection, read to the close. A new
/// connection each time is what exercises the proxy: its DNAT decision is made per connection, and
/// later packets of a connection only follow conntrack.
/// </summary>
internal static class HttpProbe
{
    private static readonly byte[] Request = Encoding.ASCII.GetBytes("GET / HTTP/1.0\r\nHost: bench\r\n\r\n");

    /// <summary>A ClusterIP the proxy has not programmed yet is dropped, not refused: give up on it quickly.</summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(1);

    /// <summary>GETs / from <paramref name="target"/>; returns the body (after the blank line).</summary>
    public static async Task<string> GetAsync(IPEndPoint target, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await ConnectAsync(socket, target, cancellationToken).ConfigureAwait(false);
        await socket.SendAsync(Request, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[4096];
        var received = new MemoryStream();
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false)) > 0)
        {
            received.Write(buffer, 0, read);
        }

        var text = Encoding.ASCII.GetString(received.GetBuffer(), 0, (int)received.Length);
        var body = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (!text.StartsWith("HTTP/1.", StringComparison.Ordinal) || !text.Contains(" 200 ", StringComparison.Ordinal) || body < 0)
        {
            throw new InvalidOperationException($"{target} answered: {text[..Math.Min(text.Length, 120)]}");
        }

        return text[(body + 4)..].Trim();
    }

    /// <summary>Whether a TCP connection to <paramref name="target"/> is accepted now (refused when the proxy rejects).</summary>
    public static async Task<bool> AcceptsAsync(IPEndPoint target, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await ConnectAsync(socket, target, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.TimedOut)
        {
            return false;
        }
    }

    private static async Task ConnectAsync(Socket socket, IPEndPoint target, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await socket.ConnectAsync(target, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SocketException((int)SocketError.TimedOut);
        }
    }
}
