namespace Gantry.Agent.Streaming.Spdy;

/// <summary>The type field of a SPDY/3.1 control frame.</summary>
internal enum SpdyControlFrameType
{
    SynStream = 1,
    SynReply = 2,
    RstStream = 3,
    Settings = 4,
    Ping = 6,
    GoAway = 7,
    Headers = 8,
    WindowUpdate = 9,
}
