namespace Gantry.Agent.Network;

/// <summary>What an inspection found of a pod's sandbox.</summary>
public enum SandboxStatus
{
    /// <summary>The namespace exists and the plugins confirm its interface, address and routes.</summary>
    Ready,

    /// <summary>There is no namespace (it was deleted, or the machine rebooted).</summary>
    Missing,

    /// <summary>The namespace exists but is not as the plugins left it; delete and recreate the sandbox.</summary>
    Broken,
}
