namespace Gantry.Agent.Network;

/// <summary>The outcome of inspecting a sandbox: the live sandbox when ready, otherwise why not.</summary>
public sealed record SandboxInspection(SandboxStatus Status, SandboxInfo? Sandbox, string? Problem)
{
    internal static SandboxInspection Ready(SandboxInfo sandbox) => new(SandboxStatus.Ready, sandbox, null);

    internal static SandboxInspection Missing(string problem) => new(SandboxStatus.Missing, null, problem);

    internal static SandboxInspection Broken(string problem) => new(SandboxStatus.Broken, null, problem);
}
