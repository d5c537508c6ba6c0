using System.Net;
using k8s.Models;

namespace Gantry.Agent.Network;

/// <summary>
/// What the route sync does, as pure functions: the routes this node wants (every other node's pod CIDR via its
/// InternalIP), the ones the kernel has (parsed from <c>ip -4 route show</c>), and the changes between them.
/// </summary>
public static class NodeRoutePlan
{
    /// <summary>Each other node's pod CIDRs via its InternalIP; nodes without either are skipped until they have both.</summary>
    public static Dictionary<IPNetwork, IPAddress> Desired(IEnumerable<V1Node> nodes, string self, IPNetwork clusterCidr)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var routes = new Dictionary<IPNetwork, IPAddress>();
        foreach (var node in nodes.Where(n => n.Metadata?.Name != self))
        {
            var address = node.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address;
            if (address is null || !IPAddress.TryParse(address, out var via))
            {
                continue;
            }

            var cidrs = node.Spec?.PodCIDRs is { Count: > 0 } all ? all : node.Spec?.PodCIDR is { Length: > 0 } one ? [one] : [];
            foreach (var text in cidrs)
            {
                if (IPNetwork.TryParse(text, out var cidr) && clusterCidr.Contains(cidr.BaseAddress) && cidr.PrefixLength >= clusterCidr.PrefixLength)
                {
                    routes[cidr] = via;
                }
            }
        }

        return routes;
    }

    /// <summary>
    /// The gateway routes in <c>ip -4 route show root CLUSTER_CIDR</c> output (<c>10.244.1.0/24 via 10.0.0.2 dev eth0</c>);
    /// the node's own link route to its bridge (no <c>via</c>) is not one of them.
    /// </summary>
    public static Dictionary<IPNetwork, IPAddress> Installed(string ipRouteOutput)
    {
        ArgumentNullException.ThrowIfNull(ipRouteOutput);
        var routes = new Dictionary<IPNetwork, IPAddress>();
        foreach (var line in ipRouteOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var via = Array.IndexOf(words, "via");
            if (via > 0 && via + 1 < words.Length && IPNetwork.TryParse(words[0], out var cidr) && IPAddress.TryParse(words[via + 1], out var gateway))
            {
                routes[cidr] = gateway;
            }
        }

        return routes;
    }

    /// <summary>Routes to add or replace (missing or via another node), and routes to remove (no node has that CIDR now).</summary>
    public static (IReadOnlyList<KeyValuePair<IPNetwork, IPAddress>> Add, IReadOnlyList<KeyValuePair<IPNetwork, IPAddress>> Remove) Diff(
        IReadOnlyDictionary<IPNetwork, IPAddress> desired, IReadOnlyDictionary<IPNetwork, IPAddress> installed)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(installed);
        var add = desired.Where(d => !installed.TryGetValue(d.Key, out var via) || !via.Equals(d.Value)).OrderBy(d => d.Key.ToString(), StringComparer.Ordinal).ToList();
        var remove = installed.Where(i => !desired.ContainsKey(i.Key)).OrderBy(i => i.Key.ToString(), StringComparer.Ordinal).ToList();
        return (add, remove);
    }
}
