namespace Gantry.Agent.Images;

/// <summary>An event the kubelet's image manager posts on the pod about a container's image, in its words.</summary>
/// <param name="Warning">A Warning event; Normal otherwise.</param>
public sealed record ImageEvent(bool Warning, string Reason, string Message);
