using Gantry.Agent.Images;

namespace Gantry.Agent.Runtimes.Oci;

/// <summary>How the oci runtime reaches runc and builds root filesystems.</summary>
public sealed record OciRuntimeOptions
{
    /// <summary>The runc binary.</summary>
    public string Runc { get; init; } = "runc";

    /// <summary>runc's state directory (--root). On tmpfs: runc state does not survive a reboot, and neither do containers.</summary>
    public string RuncRoot { get; init; } = "/run/gantry/runc";

    public RootfsMode RootfsMode { get; init; } = RootfsMode.Auto;
}
