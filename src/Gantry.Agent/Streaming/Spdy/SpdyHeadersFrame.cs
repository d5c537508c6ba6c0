namespace Gantry.Agent.Streaming.Spdy;

/// <summary>Additional headers for an open stream.</summary>
internal sealed record SpdyHeadersFrame(uint StreamId, IReadOnlyDictionary<string, string> Headers, bool Fin = false) : SpdyFrame;
