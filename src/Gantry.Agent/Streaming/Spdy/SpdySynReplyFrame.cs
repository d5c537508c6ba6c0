namespace Gantry.Agent.Streaming.Spdy;

/// <summary>Accepts a stream the peer opened; Go's spdystream waits for it before the stream is usable.</summary>
internal sealed record SpdySynReplyFrame(uint StreamId, IReadOnlyDictionary<string, string> Headers, bool Fin = false) : SpdyFrame;
