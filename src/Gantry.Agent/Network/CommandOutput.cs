namespace Gantry.Agent.Network;

/// <summary>What a finished host command left behind.</summary>
internal sealed record CommandOutput(int ExitCode, string Stdout, string Stderr);
