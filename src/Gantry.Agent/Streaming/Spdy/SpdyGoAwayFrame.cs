namespace Gantry.Agent.Streaming.Spdy;

/// <summary>The sender will accept no stream above <paramref name="LastGoodStreamId"/>.</summary>
internal sealed record SpdyGoAwayFrame(uint LastGoodStreamId, SpdyGoAwayStatus Status) : SpdyFrame;
