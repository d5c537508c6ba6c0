namespace Gantry.Agent.Streaming.Spdy;

/// <summary>Opens a stream. Clients use odd identifiers; <paramref name="Priority"/> is 0 (highest) to 7.</summary>
internal sealed record SpdySynStreamFrame(
    uint StreamId,
    uint AssociatedStreamId,
    byte Priority,
    IReadOnlyDictionary<string, string> Headers,
    bool Fin = false,
    bool Unidirectional = false) : SpdyFrame;
