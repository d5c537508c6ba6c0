using System.Buffers.Binary;

namespace Gantry.Agent.Streaming.Spdy;

/// <summary>
/// Reads SPDY/3.1 frames from a byte stream. Frames may arrive split across reads (or across
/// WebSocket messages when tunnelled), so every field is read with exact-length reads.
/// </summary>
internal sealed class SpdyFrameReader(Stream transport, SpdyHeaderDecompressor decompressor)
{
    public const int Version = 3;

    private const byte FlagFin = 0x01;
    private const byte FlagUnidirectional = 0x02;
    private const byte FlagClearSettings = 0x01;

    private readonly byte[] _header = new byte[8];

    /// <summary>The next frame, or null when the peer closed the connection between frames.</summary>
    /// <exception cref="InvalidDataException">The peer broke the protocol.</exception>
    /// <exception cref="EndOfStreamException">The connection ended in the middle of a frame.</exception>
    public async ValueTask<SpdyFrame?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await transport.ReadAtLeastAsync(_header, _header.Length, throwOnEndOfStream: false, cancellationToken);
            if (read == 0)
            {
                return null;
            }

            if (read < _header.Length)
            {
                throw new EndOfStreamException("The SPDY connection ended in the middle of a frame header.");
            }

            var first = BinaryPrimitives.ReadUInt32BigEndian(_header);
            var flags = _header[4];
            var length = (int)(BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(4)) & 0xFFFFFF);
            var payload = new byte[length];
            await transport.ReadExactlyAsync(payload, cancellationToken);

            if ((first & 0x80000000) == 0)
            {
                var streamId = first & 0x7FFFFFFF;
                if (streamId == 0)
                {
                    throw new InvalidDataException("A data frame names stream 0.");
                }

                return new SpdyDataFrame(streamId, payload, (flags & FlagFin) != 0);
            }

            var version = (first >> 16) & 0x7FFF;
            if (version != Version)
            {
                throw new InvalidDataException($"The peer speaks SPDY version {version}; only version {Version} is supported.");
            }

            // SPDY requires unknown control frame types (CREDENTIAL, anything newer) to be ignored.
            if (ParseControl((SpdyControlFrameType)(first & 0xFFFF), flags, payload) is { } frame)
            {
                return frame;
            }
        }
    }

    private SpdyFrame? ParseControl(SpdyControlFrameType type, byte flags, byte[] payload)
    {
        var span = payload.AsSpan();
        switch (type)
        {
            case SpdyControlFrameType.SynStream:
                Require(type, span, 10);
                return new SpdySynStreamFrame(
                    StreamId(span),
                    StreamId(span[4..]),
                    (byte)(span[8] >> 5),
                    decompressor.Decompress(span[10..]),
                    (flags & FlagFin) != 0,
                    (flags & FlagUnidirectional) != 0);
            case SpdyControlFrameType.SynReply:
                Require(type, span, 4);
                return new SpdySynReplyFrame(StreamId(span), decompressor.Decompress(span[4..]), (flags & FlagFin) != 0);
            case SpdyControlFrameType.Headers:
                Require(type, span, 4);
                return new SpdyHeadersFrame(StreamId(span), decompressor.Decompress(span[4..]), (flags & FlagFin) != 0);
            case SpdyControlFrameType.RstStream:
                RequireExactly(type, span, 8);
                return new SpdyRstStreamFrame(StreamId(span), (SpdyStreamStatus)BinaryPrimitives.ReadUInt32BigEndian(span[4..]));
            case SpdyControlFrameType.Settings:
                return ParseSettings(span, (flags & FlagClearSettings) != 0);
            case SpdyControlFrameType.Ping:
                RequireExactly(type, span, 4);
                return new SpdyPingFrame(BinaryPrimitives.ReadUInt32BigEndian(span));
            case SpdyControlFrameType.GoAway:
                RequireExactly(type, span, 8);
                return new SpdyGoAwayFrame(StreamId(span), (SpdyGoAwayStatus)BinaryPrimitives.ReadUInt32BigEndian(span[4..]));
            case SpdyControlFrameType.WindowUpdate:
                RequireExactly(type, span, 8);
                return new SpdyWindowUpdateFrame(StreamId(span), BinaryPrimitives.ReadUInt32BigEndian(span[4..]) & 0x7FFFFFFF);
            default:
                return null;
        }
    }

    private static SpdySettingsFrame ParseSettings(ReadOnlySpan<byte> span, bool clear)
    {
        Require(SpdyControlFrameType.Settings, span, 4);
        var count = BinaryPrimitives.ReadUInt32BigEndian(span);
        if ((ulong)count * 8 != (ulong)(span.Length - 4))
        {
            throw new InvalidDataException($"A SETTINGS frame announces {count} entries in {span.Length - 4} bytes.");
        }

        var settings = new SpdySetting[count];
        for (var i = 0; i < settings.Length; i++)
        {
            var entry = span.Slice(4 + (i * 8), 8);
            var flagsAndId = BinaryPrimitives.ReadUInt32BigEndian(entry);
            settings[i] = new SpdySetting(flagsAndId & 0xFFFFFF, BinaryPrimitives.ReadUInt32BigEndian(entry[4..]), (byte)(flagsAndId >> 24));
        }

        return new SpdySettingsFrame(settings, clear);
    }

    private static uint StreamId(ReadOnlySpan<byte> span) => BinaryPrimitives.ReadUInt32BigEndian(span) & 0x7FFFFFFF;

    private static void Require(SpdyControlFrameType type, ReadOnlySpan<byte> payload, int minimum)
    {
        if (payload.Length < minimum)
        {
            throw new InvalidDataException($"A {type} frame has {payload.Length} bytes, fewer than the {minimum} it needs.");
        }
    }

    private static void RequireExactly(SpdyControlFrameType type, ReadOnlySpan<byte> payload, int length)
    {
        if (payload.Length != length)
        {
            throw new InvalidDataException($"A {type} frame has {payload.Length} bytes instead of {length}.");
        }
    }
}
