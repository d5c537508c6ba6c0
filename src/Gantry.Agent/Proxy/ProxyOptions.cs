using System.Net;

namespace Gantry.Agent.Proxy;

/// <summary>How this node's service proxy programs nftables.</summary>
public sealed record ProxyOptions
{
    /// <summary>The node whose endpoints count as local for <c>externalTrafficPolicy: Local</c> and <c>internalTrafficPolicy: Local</c>.</summary>
    public required string NodeName { get; init; }

    /// <summary>
    /// The one IPv4 table Gantry owns and rewrites whole; nothing else in it survives a sync. Distinct from every other
    /// Gantry table so the proxy never touches rules it did not write.
    /// </summary>
    public string TableName { get; init; } = "gantry-proxy";

    /// <summary>
    /// The pod addresses, kube-proxy's "local traffic detector": traffic to a ClusterIP from outside it is masqueraded (it
    /// may have been routed here from off the cluster), and pod traffic to a NodePort with <c>externalTrafficPolicy: Local</c>
    /// is short-circuited to any endpoint. Null detects nothing, as kube-proxy does without <c>--cluster-cidr</c>.
    /// </summary>
    public IPNetwork? ClusterCidr { get; init; }

    /// <summary>
    /// The ranges ClusterIPs come from. New connections to an address in them that is no Service's ClusterIP are
    /// dropped, and to a ClusterIP on a port it does not serve are rejected, as kube-proxy's nftables mode does: such
    /// traffic must never leave the node for whatever network really owns those addresses.
    /// </summary>
    public IReadOnlyList<IPNetwork> ServiceCidrs { get; init; } = [new(IPAddress.Parse("10.96.0.0"), 12)];

    /// <summary>The packet mark bit that sends a connection to masquerade, kube-proxy's default (bit 14).</summary>
    public uint MasqueradeMark { get; init; } = 0x4000;

    /// <summary>How long a change waits for others to arrive before the rules are rewritten; keeps a change in force well within a second.</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often the rules are rewritten with no change, repairing anything else that touched the table (kube-proxy's syncPeriod).</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one <c>nft</c> run may take.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The named network namespace to program instead of the agent's own; lets one machine play several nodes.</summary>
    public string? NetworkNamespace { get; init; }
}
