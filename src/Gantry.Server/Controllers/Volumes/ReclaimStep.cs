namespace Gantry.Server.Controllers.Volumes;

/// <summary>What kube's <c>reclaimVolume</c> does with a released volume, by its reclaim policy.</summary>
public abstract record ReclaimStep
{
    private ReclaimStep()
    {
    }

    /// <summary>Retain, or a volume whose external provisioner deletes it: nothing here.</summary>
    public sealed record Keep : ReclaimStep;

    /// <summary>A volume the local-path provisioner made: its directory is removed by a helper pod, then the volume.</summary>
    public sealed record DeleteLocalPath : ReclaimStep;

    /// <summary>Nothing can reclaim it: phase Failed, with the event (its message also the status message).</summary>
    public sealed record Fail(VolumeEvent Event) : ReclaimStep;
}
