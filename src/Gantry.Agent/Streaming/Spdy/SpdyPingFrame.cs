namespace Gantry.Agent.Streaming.Spdy;

/// <summary>A liveness probe; the receiver echoes pings whose identifier parity is the peer's.</summary>
internal sealed record SpdyPingFrame(uint Id) : SpdyFrame;
