using System.Buffers;
using System.Buffers.Binary;

namespace Gantry.Agent.Streaming.Spdy;

/// <summary>
/// Writes SPDY/3.1 frames, each with a single write so that a tunnelling WebSocket carries one frame
/// per message. Not thread-safe: header compression is stateful, so the caller serialises writes.
/// </summary>
internal sealed class SpdyFrameWriter(Stream transport, SpdyHeaderCompressor compressor)
{
    public const int MaxPayload = 0xFFFFFF;

    private const byte FlagFin = 0x01;
    private const byte FlagUnidirectional = 0x02;
    private const byte FlagClearSettings = 0x01;

    private readonly ArrayBufferWriter<byte> _frame = new();
    private readonly ArrayBufferWriter<byte> _body = new();

    public async ValueTask WriteAsync(SpdyFrame frame, CancellationToken cancellationToken)
    {
        _frame.ResetWrittenCount();
        _body.ResetWrittenCount();
        Serialize(frame);
        await transport.WriteAsync(_frame.WrittenMemory, cancellationToken);
        await transport.FlushAsync(cancellationToken);
    }

    private void Serialize(SpdyFrame frame)
    {
        switch (frame)
        {
            case SpdyDataFrame data:
                if (data.Data.Length > MaxPayload)
                {
                    throw new ArgumentException($"A data frame carries at most {MaxPayload} bytes.", nameof(frame));
                }

                WriteUInt32(_frame, data.StreamId & 0x7FFFFFFF);
                WriteUInt32(_frame, ((uint)(data.Fin ? FlagFin : 0) << 24) | (uint)data.Data.Length);
                _frame.Write(data.Data.Span);
                return;
            case SpdySynStreamFrame syn:
                WriteUInt32(_body, syn.StreamId);
                WriteUInt32(_body, syn.AssociatedStreamId);
                _body.Write<byte>([(byte)(syn.Priority << 5), 0]);
                compressor.Compress(syn.Headers, _body);
                WriteControl(SpdyControlFrameType.SynStream, (byte)((syn.Fin ? FlagFin : 0) | (syn.Unidirectional ? FlagUnidirectional : 0)));
                return;
            case SpdySynReplyFrame reply:
                WriteUInt32(_body, reply.StreamId);
                compressor.Compress(reply.Headers, _body);
                WriteControl(SpdyControlFrameType.SynReply, reply.Fin ? FlagFin : (byte)0);
                return;
            case SpdyHeadersFrame headers:
                WriteUInt32(_body, headers.StreamId);
                compressor.Compress(headers.Headers, _body);
                WriteControl(SpdyControlFrameType.Headers, headers.Fin ? FlagFin : (byte)0);
                return;
            case SpdyRstStreamFrame reset:
                WriteUInt32(_body, reset.StreamId);
                WriteUInt32(_body, (uint)reset.Status);
                WriteControl(SpdyControlFrameType.RstStream, 0);
                return;
            case SpdySettingsFrame settings:
                WriteUInt32(_body, (uint)settings.Settings.Count);
                foreach (var setting in settings.Settings)
                {
                    WriteUInt32(_body, ((uint)setting.Flags << 24) | (setting.Id & 0xFFFFFF));
                    WriteUInt32(_body, setting.Value);
                }

                WriteControl(SpdyControlFrameType.Settings, settings.ClearSettings ? FlagClearSettings : (byte)0);
                return;
            case SpdyPingFrame ping:
                WriteUInt32(_body, ping.Id);
                WriteControl(SpdyControlFrameType.Ping, 0);
                return;
            case SpdyGoAwayFrame goAway:
                WriteUInt32(_body, goAway.LastGoodStreamId);
                WriteUInt32(_body, (uint)goAway.Status);
                WriteControl(SpdyControlFrameType.GoAway, 0);
                return;
            case SpdyWindowUpdateFrame update:
                WriteUInt32(_body, update.StreamId);
                WriteUInt32(_body, update.DeltaWindowSize);
                WriteControl(SpdyControlFrameType.WindowUpdate, 0);
                return;
            default:
                throw new ArgumentException($"Cannot write a {frame.GetType().Name}.", nameof(frame));
        }
    }

    private void WriteControl(SpdyControlFrameType type, byte flags)
    {
        if (_body.WrittenCount > MaxPayload)
        {
            throw new InvalidOperationException($"A {type} frame would carry {_body.WrittenCount} bytes, more than SPDY allows.");
        }

        WriteUInt32(_frame, 0x80000000 | ((uint)SpdyFrameReader.Version << 16) | (uint)type);
        WriteUInt32(_frame, ((uint)flags << 24) | (uint)_body.WrittenCount);
        _frame.Write(_body.WrittenSpan);
    }

    private static void WriteUInt32(ArrayBufferWriter<byte> buffer, uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
    }
}
