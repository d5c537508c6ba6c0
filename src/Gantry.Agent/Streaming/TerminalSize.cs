namespace Gantry.Agent.Streaming;

/// <summary>A terminal size in character cells, as kubectl sends it on the resize channel (<c>{"Width":80,"Height":24}</c>).</summary>
public readonly record struct TerminalSize(ushort Width, ushort Height);
