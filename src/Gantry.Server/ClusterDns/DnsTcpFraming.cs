using System.Buffers.Binary;

namespace Gantry.Server.ClusterDns;

/// <summary>DNS over TCP's framing (RFC 1035 §4.2.2, RFC 7766): each message behind its two-byte length.</summary>
public static class DnsTcpFraming
{
    /// <summary>The next message; null when the peer closed the connection between messages.</summary>
    public static async Task<byte[]?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var prefix = new byte[2];
        var read = await stream.ReadAtLeastAsync(prefix, 2, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read < 2)
        {
            return null;
        }

        var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        await stream.ReadExactlyAsync(message, cancellationToken).ConfigureAwait(false);
        return message;
    }

    public static async Task WriteAsync(Stream stream, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var framed = new byte[message.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)message.Length);
        message.CopyTo(framed.AsMemory(2));
        await stream.WriteAsync(framed, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
