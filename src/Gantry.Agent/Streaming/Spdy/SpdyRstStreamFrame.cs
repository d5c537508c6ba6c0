namespace Gantry.Agent.Streaming.Spdy;

/// <summary>Ends a stream abnormally in both directions.</summary>
internal sealed record SpdyRstStreamFrame(uint StreamId, SpdyStreamStatus Status) : SpdyFrame;
