namespace Gantry.Server.Controllers.Volumes;

/// <summary>What one sync of a volume does, as kube's <c>syncVolume</c> decides it.</summary>
public abstract record VolumeStep
{
    private VolumeStep()
    {
    }

    /// <summary>The volume's phase is made <paramref name="Phase"/> (Available or Bound), nothing else.</summary>
    public sealed record SetPhase(string Phase) : VolumeStep;

    /// <summary>The claim it was bound to is gone: phase Released (a Failed one stays so), then its reclaim policy.</summary>
    public sealed record Release : VolumeStep;

    /// <summary>The claim has not finished binding: its sync does that; with a mismatch, both sides are told instead.</summary>
    public sealed record SyncClaim(VolumeEvent? VolumeMismatch, VolumeEvent? ClaimMismatch) : VolumeStep;

    /// <summary><c>unbindVolume</c>: the claim was bound elsewhere; what the controller wrote is rolled back.</summary>
    public sealed record Unbind : VolumeStep;
}
