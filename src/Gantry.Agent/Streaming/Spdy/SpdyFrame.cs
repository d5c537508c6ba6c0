namespace Gantry.Agent.Streaming.Spdy;

/// <summary>One SPDY/3.1 frame, as read from or written to the wire.</summary>
internal abstract record SpdyFrame;
