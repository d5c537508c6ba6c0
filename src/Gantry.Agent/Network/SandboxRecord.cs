namespace Gantry.Agent.Network;

/// <summary>
/// What the network remembers of a sandbox it made: whose it is and the bridge plugin's ADD result, which CHECK
/// needs and DEL should be given (the libcni result cache, in Gantry's state directory).
/// </summary>
/// <param name="PodUid">The pod the sandbox belongs to; empty while it waits in the pool.</param>
/// <param name="ContainerId">
/// The CNI container id ADD was called with, which DEL must repeat: the pod uid for a sandbox made for the pod,
/// the sandbox's own id for one taken from the pool (as containerd uses the sandbox's id, not the pod's).
/// </param>
/// <param name="PluginMasquerade">
/// Whether ADD ran with the bridge plugin's <c>ipMasq</c>, so that DEL must too to remove the plugin's iptables
/// chain; true only for sandboxes made before the node-wide rule (<see cref="NodeMasquerade"/>) replaced it.
/// </param>
/// <param name="LoopbackPlugin">
/// Whether <c>lo</c> was brought up by the loopback plugin's ADD (sandboxes made before <see cref="NetworkNamespaces"/>
/// did it), which DEL and CHECK then repeat the plugin for.
/// </param>
internal sealed record SandboxRecord(
    string PodUid,
    string ContainerId,
    string PodName,
    string PodNamespace,
    string NetworkNamespace,
    string ResultJson,
    bool PluginMasquerade,
    bool LoopbackPlugin);
