using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Gantry.Agent.Runtimes;

/// <summary>
/// An attach's view of a container with <c>tty: true</c>, whose pseudo-terminal master the shim holds (so that it
/// outlives the agent): what the terminal says from now on, live and unbuffered, read from a connection to the shim's
/// <see cref="ContainerDirectory.AttachSocket"/>, and the window size, written to the shim's
/// <see cref="ContainerDirectory.ResizeFifo"/> as a "COLUMNS ROWS" line that it applies with TIOCSWINSZ (as
/// containerd's shim takes resizes on its control channel). Input goes through the stdin FIFO, as without a
/// terminal (<see cref="ContainerStdin"/>).
/// </summary>
public sealed class ContainerTerminal : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly string _resizeFifo;
    private FileStream? _resize;

    private ContainerTerminal(Socket socket, string resizeFifo)
    {
        _socket = socket;
        Output = new NetworkStream(socket, ownsSocket: true);
        _resizeFifo = resizeFifo;
    }

    /// <summary>The terminal's output; it ends when the container exits (or the shim dies).</summary>
    public Stream Output { get; }

    /// <summary>Null when the container has no terminal or its shim no longer serves it (the container exited).</summary>
    internal static ContainerTerminal? Open(ContainerDirectory directory)
    {
        if (directory.HasExited || !File.Exists(directory.AttachSocket))
        {
            return null;
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(directory.AttachSocket));
        }
        catch (SocketException)
        {
            // Refused or gone: the shim finished between the check and the connection.
            socket.Dispose();
            return null;
        }

        // Nothing is sent on it: the shim reads a connection's end as the attach's end.
        return new ContainerTerminal(socket, directory.ResizeFifo);
    }

    /// <summary>Ends <see cref="Output"/> (a pending read returns 0) while the container runs on: the attach detached.</summary>
    public void EndOutput() => _socket.Shutdown(SocketShutdown.Receive);

    /// <summary>Sets the terminal's size in characters; the kernel then signals SIGWINCH to its foreground process group.</summary>
    public async ValueTask ResizeAsync(ushort columns, ushort rows, CancellationToken cancellationToken)
    {
        _resize ??= Fifo.OpenWriter(_resizeFifo);
        if (_resize is null)
        {
            return; // The shim has gone: the container exited.
        }

        // One write below PIPE_BUF, so that the shim never reads half a line written by two attaches.
        var line = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{columns} {rows}\n"));
        try
        {
            await _resize.WriteAsync(line, cancellationToken);
        }
        catch (IOException)
        {
            // EPIPE: the shim went away meanwhile, with the container.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Output.DisposeAsync();
        if (_resize is not null)
        {
            await _resize.DisposeAsync();
        }
    }
}
