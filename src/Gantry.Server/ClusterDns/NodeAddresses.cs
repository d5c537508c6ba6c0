using System.Collections.Frozen;
using System.Net;
using Gantry.Server.Informers;
using k8s.Models;

namespace Gantry.Server.ClusterDns;

/// <summary>
/// The addresses the cluster's Nodes publish as their InternalIP (<c>status.addresses</c>), kept from the node
/// informer. Not ExternalIPs: a node may claim any it likes, and the set decides who gets recursion. A pod's query to the DNS service leaves its node masqueraded as the node's address,
/// so a node on another network than the server's is a DNS client to recurse for.
/// </summary>
public sealed class NodeAddresses
{
    private readonly Informer<V1Node> _nodes;
    private FrozenSet<IPAddress> _addresses = FrozenSet<IPAddress>.Empty;

    /// <summary>Asks for its informer: build it before the informers start.</summary>
    public NodeAddresses(SharedInformers informers)
    {
        ArgumentNullException.ThrowIfNull(informers);
        _nodes = informers.For<V1Node>();
        _nodes.OnChange((old, current) =>
        {
            // Heartbeats change a Node every few seconds and rarely its addresses: rebuild only when they moved.
            if (!Collect(old is null ? [] : [old]).SetEquals(Collect(current is null ? [] : [current])))
            {
                Volatile.Write(ref _addresses, Collect(_nodes.List()));
            }
        });
    }

    public bool Contains(IPAddress address) => Volatile.Read(ref _addresses).Contains(address);

    /// <summary>The addresses of <paramref name="nodes"/> that parse as IP addresses.</summary>
    public static FrozenSet<IPAddress> Collect(IEnumerable<V1Node> nodes) =>
        nodes.SelectMany(node => node.Status?.Addresses ?? [])
            .Where(address => address.Type == "InternalIP")
            .Select(address => IPAddress.TryParse(address.Address, out var ip) ? ip : null)
            .OfType<IPAddress>()
            .ToFrozenSet();
}
