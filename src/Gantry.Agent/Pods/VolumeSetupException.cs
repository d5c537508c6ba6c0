namespace Gantry.Agent.Pods;

/// <summary>
/// A pod's volume could not be set up (kubelet's <c>MountVolume.SetUp failed</c>): its containers keep waiting as
/// <c>ContainerCreating</c>, and the reason goes to a <c>FailedMount</c> event, as the kubelet reports it.
/// </summary>
public sealed class VolumeSetupException(string volume, string problem)
    : Exception($"MountVolume.SetUp failed for volume \"{volume}\" : {problem}")
{
    public const string Reason = "ContainerCreating";
}
