namespace Gantry.Agent.Pods;

/// <summary>
/// A pod's volume could not be set up (kubelet's <c>MountVolume.SetUp failed</c>, or another step of its mount
/// operation): its containers keep waiting as <c>ContainerCreating</c>, and the reason goes to a <c>FailedMount</c>
/// event, as the kubelet reports it. The next sync of the pod tries again.
/// </summary>
public sealed class VolumeSetupException : Exception
{
    public const string Reason = "ContainerCreating";

    /// <param name="volume">The volume's name as kubelet's mount operation names it: the pod's, or the PersistentVolume's.</param>
    /// <param name="problem">What went wrong.</param>
    /// <param name="operation">The step of kubelet's mount operation that failed.</param>
    public VolumeSetupException(string volume, string problem, string operation = "MountVolume.SetUp")
        : base($"{operation} failed for volume \"{volume}\" : {problem}")
    {
    }

    private VolumeSetupException(string message)
        : base(message)
    {
    }

    /// <summary>
    /// Kubelet's volume manager could not even tell what to mount (a claim not bound, its volume missing): the pod's
    /// wait for its volumes ends with the volume named among those it failed to process.
    /// </summary>
    public static VolumeSetupException NotProcessed(string volume, string problem) =>
        new($"Unable to attach or mount volumes: unmounted volumes=[{volume}], unattached volumes=[], failed to process volumes=[{volume}]: {problem}");
}
