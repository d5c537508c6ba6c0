using System.Net;

namespace Gantry.Agent.Policy;

/// <summary>One allowance: traffic from (ingress) or to (egress) one of <paramref name="Peers"/>, on one of <paramref name="Ports"/>.</summary>
/// <param name="Peers">The other end's addresses; null for any.</param>
/// <param name="Ports">The ports on the pod's end (ingress) or the peer's (egress); null for any.</param>
public sealed record FirewallRule(IReadOnlyList<FirewallPeer>? Peers, IReadOnlyList<FirewallPort>? Ports)
{
    /// <summary>Whether the rule lets traffic through between the pod and <paramref name="address"/> on the port.</summary>
    public bool Allows(IPAddress address, string protocol, int port) =>
        (Peers is null || Peers.Any(p => p.Contains(address)))
        && (Ports is null || Ports.Any(p => p.Protocol == protocol && p.From <= port && port <= p.To));
}
