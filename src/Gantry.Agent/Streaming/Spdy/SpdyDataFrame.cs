namespace Gantry.Agent.Streaming.Spdy;

/// <summary>Stream payload; <paramref name="Fin"/> half-closes the sender's side of the stream.</summary>
internal sealed record SpdyDataFrame(uint StreamId, ReadOnlyMemory<byte> Data, bool Fin) : SpdyFrame;
