namespace Gantry.Server.Scheduling;

/// <summary>A pod's claims could not be bound for the node chosen; the pod goes back to the queue.</summary>
public sealed class VolumeBindingException(string message) : Exception(message);
