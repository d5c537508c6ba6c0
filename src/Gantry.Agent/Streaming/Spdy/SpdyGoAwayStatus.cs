namespace Gantry.Agent.Streaming.Spdy;

/// <summary>Why a connection is going away (GOAWAY status codes).</summary>
internal enum SpdyGoAwayStatus
{
    Ok = 0,
    ProtocolError = 1,
    InternalError = 2,
}
