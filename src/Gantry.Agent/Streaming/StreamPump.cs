using System.Buffers;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace Gantry.Agent.Streaming;

/// <summary>Copies between streams, treating a failed or vanished peer as the end of the copy rather than an error.</summary>
internal static class StreamPump
{
    private const int BufferSize = 32 * 1024;

    /// <summary>Copies until <paramref name="source"/> ends (true) or either side fails or the copy is cancelled (false).</summary>
    public static async Task<bool> CopyAsync(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            return true;
        }
        catch (Exception ex) when (IsPeerFailure(ex))
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Reads <paramref name="source"/> to its end, passing the bytes on to <paramref name="destination"/>
    /// while it accepts them and discarding them after. The source is always drained, because a
    /// process blocked on a full pipe, or a connection blocked on an unread stream, would never finish.
    /// </summary>
    public static async Task DrainAsync(Stream source, Stream? destination, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (destination is null)
                {
                    continue;
                }

                try
                {
                    await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
                catch (Exception ex) when (IsPeerFailure(ex) && !cancellationToken.IsCancellationRequested)
                {
                    destination = null;
                }
            }
        }
        catch (Exception ex) when (IsPeerFailure(ex))
        {
            // The source failed (a terminal reports EIO once its process is gone) or the session
            // ended: either way there is nothing more to read.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static bool IsPeerFailure(Exception ex) =>
        ex is IOException or ObjectDisposedException or OperationCanceledException or SocketException or WebSocketException;
}
