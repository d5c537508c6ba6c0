namespace Gantry.Agent.Policy;

/// <summary>
/// What the NetworkPolicies that select one pod let in and out of it, resolved to addresses and ports. A direction is
/// null where no policy isolates the pod in it (everything passes); otherwise only what one of its rules allows passes,
/// besides replies and traffic to and from the pod's own node, which kube's NetworkPolicy always lets through.
/// </summary>
public sealed record PodFirewall(IReadOnlyList<FirewallRule>? Ingress, IReadOnlyList<FirewallRule>? Egress)
{
    public static PodFirewall Open { get; } = new(null, null);

    public bool IsOpen => Ingress is null && Egress is null;
}

/// <summary>One allowance: traffic from (ingress) or to (egress) one of <paramref name="Peers"/>, on one of <paramref name="Ports"/>.</summary>
/// <param name="Peers">The other end's addresses; null for any.</param>
/// <param name="Ports">The ports on the pod's end (ingress) or the peer's (egress); null for any.</param>
public sealed record FirewallRule(IReadOnlyList<FirewallPeer>? Peers, IReadOnlyList<FirewallPort>? Ports)
{
    /// <summary>Whether the rule lets traffic through between the pod and <paramref name="address"/> on the port.</summary>
    public bool Allows(System.Net.IPAddress address, string protocol, int port) =>
        (Peers is null || Peers.Any(p => p.Contains(address)))
        && (Ports is null || Ports.Any(p => p.Protocol == protocol && p.From <= port && port <= p.To));
}

/// <summary>A block of IPv4 addresses, less those in <paramref name="Except"/> (a NetworkPolicy's <c>ipBlock</c>, or one pod's address).</summary>
public sealed record FirewallPeer(System.Net.IPNetwork Block, IReadOnlyList<System.Net.IPNetwork> Except)
{
    public static FirewallPeer Address(System.Net.IPAddress address) => new(new System.Net.IPNetwork(address, 32), []);

    public bool Contains(System.Net.IPAddress address) => Block.Contains(address) && !Except.Any(e => e.Contains(address));
}

/// <summary>A protocol (as nftables names it: <c>tcp</c>, <c>udp</c>, <c>sctp</c>) and a range of ports, both ends included.</summary>
public sealed record FirewallPort(string Protocol, int From, int To);
