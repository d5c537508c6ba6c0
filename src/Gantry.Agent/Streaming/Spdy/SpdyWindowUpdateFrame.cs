namespace Gantry.Agent.Streaming.Spdy;

/// <summary>Flow-control credit; stream 0 means the whole connection (SPDY/3.1).</summary>
internal sealed record SpdyWindowUpdateFrame(uint StreamId, uint DeltaWindowSize) : SpdyFrame;
