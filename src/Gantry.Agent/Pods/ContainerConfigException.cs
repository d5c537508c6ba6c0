namespace Gantry.Agent.Pods;

/// <summary>
/// A container's configuration names something the node cannot find (a config map, a secret, one of their keys): the
/// container waits with kubelet's <c>CreateContainerConfigError</c> until it appears. The message is kubelet's.
/// </summary>
public sealed class ContainerConfigException(string message) : Exception(message)
{
    public const string Reason = "CreateContainerConfigError";
}
