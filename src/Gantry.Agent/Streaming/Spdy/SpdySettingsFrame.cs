namespace Gantry.Agent.Streaming.Spdy;

/// <summary>Connection parameters the sender announces.</summary>
internal sealed record SpdySettingsFrame(IReadOnlyList<SpdySetting> Settings, bool ClearSettings = false) : SpdyFrame;
