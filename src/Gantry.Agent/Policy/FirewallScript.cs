using System.Globalization;
using System.Net;
using System.Text;

namespace Gantry.Agent.Policy;

/// <summary>
/// A pod's <see cref="PodFirewall"/> as one <c>nft -f</c> transaction run in the pod's own network namespace: a table
/// whose input chain filters what reaches the pod and whose output chain filters what it sends, each accepting
/// replies, loopback and the node before the allowances and dropping the rest, in a direction the pod is isolated in.
/// The pod's namespace sees traffic after the node translated a service address to the pod's, so ingress allowances
/// name the true sources. The table is replaced whole; an open firewall removes it.
/// </summary>
public static class FirewallScript
{
    public const string Table = "inet gantry_network_policy";

    /// <param name="nodeAddresses">The pod's node as the pod sees it: the bridge's address and the node's own.</param>
    public static string Render(PodFirewall firewall, IReadOnlyList<IPAddress> nodeAddresses)
    {
        var script = new StringBuilder();
        script.Append(CultureInfo.InvariantCulture, $"add table {Table}\ndelete table {Table}\n");
        if (firewall.IsOpen)
        {
            return script.ToString();
        }

        script.Append(CultureInfo.InvariantCulture, $"table {Table} {{\n");
        Chain(script, "ingress", "input", "iif", "saddr", firewall.Ingress, nodeAddresses);
        Chain(script, "egress", "output", "oif", "daddr", firewall.Egress, nodeAddresses);
        script.Append("}\n");
        return script.ToString();
    }

    private static void Chain(
        StringBuilder script, string name, string hook, string loopbackInterface, string peerAddress, IReadOnlyList<FirewallRule>? rules,
        IReadOnlyList<IPAddress> nodeAddresses)
    {
        if (rules is null)
        {
            return;
        }

        script.Append(CultureInfo.InvariantCulture, $"  chain {name} {{\n    type filter hook {hook} priority filter; policy accept;\n");
        script.Append("    ct state established,related accept\n");
        script.Append(CultureInfo.InvariantCulture, $"    {loopbackInterface} \"lo\" accept\n");
        if (nodeAddresses.Count > 0)
        {
            script.Append(CultureInfo.InvariantCulture, $"    ip {peerAddress} {Set(nodeAddresses.Select(a => a.ToString()))} accept\n");
        }

        foreach (var rule in rules)
        {
            foreach (var match in Matches(rule.Peers, peerAddress))
            {
                if (rule.Ports is null)
                {
                    script.Append(CultureInfo.InvariantCulture, $"    {match}accept\n");
                    continue;
                }

                foreach (var byProtocol in rule.Ports.GroupBy(p => p.Protocol))
                {
                    var ports = byProtocol.Select(p => p.From == p.To ? p.From.ToString(CultureInfo.InvariantCulture) : $"{p.From}-{p.To}");
                    script.Append(CultureInfo.InvariantCulture, $"    {match}meta l4proto {byProtocol.Key} th dport {Set(ports)} accept\n");
                }
            }
        }

        script.Append("    drop\n  }\n");
    }

    /// <summary>
    /// What a rule's peers look like in its lines: nothing for any peer; the blocks without exceptions as one set (a
    /// selector's pods are one line, however many); each block with exceptions on a line of its own.
    /// </summary>
    private static IEnumerable<string> Matches(IReadOnlyList<FirewallPeer>? peers, string peerAddress)
    {
        if (peers is null)
        {
            yield return "";
            yield break;
        }

        if (peers.Where(p => p.Except.Count == 0).Select(p => p.Block.ToString()).ToList() is { Count: > 0 } blocks)
        {
            yield return $"ip {peerAddress} {Set(blocks)} ";
        }

        foreach (var peer in peers.Where(p => p.Except.Count > 0))
        {
            yield return $"ip {peerAddress} {peer.Block} ip {peerAddress} != {Set(peer.Except.Select(e => e.ToString()))} ";
        }
    }

    private static string Set(IEnumerable<string> items) => $"{{ {string.Join(", ", items.Distinct())} }}";
}
