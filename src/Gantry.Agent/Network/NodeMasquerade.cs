using System.Text.RegularExpressions;

namespace Gantry.Agent.Network;

/// <summary>
/// One node-wide nftables rule that masquerades what pods send outside their CIDR, in place of the bridge plugin's
/// <c>ipMasq</c>, which spawns about nine <c>iptables</c> processes per pod start and six per teardown and makes
/// concurrent plugins queue on the xtables lock. The rule lives in table <c>ip gantry-nat</c>, in a chain of its
/// own per bridge so that several pod networks on one host (tests, several agents) keep each other's rules.
/// </summary>
/// <remarks>
/// Installed once at agent start and never removed: a pod network keeps its CIDR for its life, and a rule left
/// behind by an agent that is gone only masquerades addresses nobody else uses. The install is one nft
/// transaction that creates the table and chain if absent, flushes the chain and adds the rule, so running it
/// again (every agent start) leaves exactly one rule, and no packet ever sees the chain half made.
/// </remarks>
internal sealed partial class NodeMasquerade(PodNetworkOptions options)
{
    /// <summary>The table every Gantry pod network's masquerade chain is in.</summary>
    public const string Table = "gantry-nat";

    /// <summary>The chain for <paramref name="bridgeName"/>'s pods; nft chain names allow the same characters.</summary>
    internal static string ChainName(string bridgeName) => "masq-" + Unsafe().Replace(bridgeName, "_");

    /// <summary>
    /// The nft script: what the node's pods send outside the cluster CIDR (and not multicast, as the bridge plugin
    /// does) leaves with the node's address; pod-to-pod traffic, on this node or another, keeps its source, which
    /// network policies and the pods' peers rely on.
    /// </summary>
    internal static string Script(PodNetworkOptions options)
    {
        var chain = ChainName(options.BridgeName);
        var cidr = options.PodCidr.ToString();
        var cluster = (options.ClusterCidr ?? options.PodCidr).ToString();
        return $$"""
            add table ip {{Table}}
            add chain ip {{Table}} {{chain}} { type nat hook postrouting priority srcnat; policy accept; }
            flush chain ip {{Table}} {{chain}}
            add rule ip {{Table}} {{chain}} ip saddr {{cidr}} ip daddr != { {{cluster}}, 224.0.0.0/4 } masquerade

            """;
    }

    /// <summary>Installs the rule, replacing whatever the chain held. Idempotent.</summary>
    /// <exception cref="NetworkCommandException">nft is missing or refused.</exception>
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        var command = new CommandLine("nft", "-f", "-");
        var output = await HostCommand.RunAsync(command, options.CommandTimeout, cancellationToken, Script(options));
        if (output.ExitCode != 0)
        {
            throw HostCommand.Failure(command, output);
        }
    }

    [GeneratedRegex("[^A-Za-z0-9_]")]
    private static partial Regex Unsafe();
}
