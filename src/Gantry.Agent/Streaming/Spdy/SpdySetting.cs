namespace Gantry.Agent.Streaming.Spdy;

/// <summary>One entry of a SETTINGS frame: a 24-bit identifier, its flags and its value.</summary>
internal readonly record struct SpdySetting(uint Id, uint Value, byte Flags = 0);
