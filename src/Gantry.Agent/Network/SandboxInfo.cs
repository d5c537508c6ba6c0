using System.Net;

namespace Gantry.Agent.Network;

/// <summary>
/// A pod's network sandbox: the namespace its containers join and the address it has there. Worth checkpointing:
/// after an agent restart <see cref="PodNetwork.InspectSandboxAsync"/> confirms it still holds.
/// </summary>
/// <param name="PodUid">The pod the sandbox belongs to.</param>
/// <param name="NetworkNamespace">The namespace's name, as <c>ip netns</c> lists it.</param>
/// <param name="NetworkNamespacePath">The bind-mounted namespace file containers join (<c>/var/run/netns/…</c>).</param>
/// <param name="PodIp">The pod's address on its <c>eth0</c>.</param>
/// <param name="Gateway">The bridge's address, the pod's default route.</param>
/// <param name="PodCidr">The subnet the address came from.</param>
public sealed record SandboxInfo(
    string PodUid,
    string NetworkNamespace,
    string NetworkNamespacePath,
    IPAddress PodIp,
    IPAddress Gateway,
    IPNetwork PodCidr);
