namespace Gantry.Agent.Streaming.Spdy;

/// <summary>Why a stream was reset (RST_STREAM status codes).</summary>
internal enum SpdyStreamStatus
{
    ProtocolError = 1,
    InvalidStream = 2,
    RefusedStream = 3,
    UnsupportedVersion = 4,
    Cancel = 5,
    InternalError = 6,
    FlowControlError = 7,
    StreamInUse = 8,
    StreamAlreadyClosed = 9,
    FrameTooLarge = 11,
}
