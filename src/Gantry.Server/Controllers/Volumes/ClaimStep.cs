using k8s.Models;

namespace Gantry.Server.Controllers.Volumes;

/// <summary>What one sync of a claim does, as kube's <c>syncUnboundClaim</c> and <c>syncBoundClaim</c> decide it.</summary>
public abstract record ClaimStep
{
    private ClaimStep()
    {
    }

    /// <summary><c>bind</c>: writes both sides of the binding to <paramref name="Volume"/> and their phases.</summary>
    public sealed record Bind(V1PersistentVolume Volume) : ClaimStep;

    /// <summary>The claim stays (or becomes) Pending, after the event if there is one.</summary>
    public sealed record Pending(VolumeEvent? Event) : ClaimStep;

    /// <summary><c>provisionClaim</c>: no volume fits, and the claim's class can have one made.</summary>
    public sealed record Provision : ClaimStep;

    /// <summary>The claim's volume is gone or belongs to another claim: phase Lost, a terminal one, with the event.</summary>
    public sealed record Lost(VolumeEvent Event) : ClaimStep;
}
