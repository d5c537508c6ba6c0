using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Gantry.Agent.Network;

/// <summary>
/// Removes the masquerade chain the bridge plugin (ipMasq) made for a pod when the plugin's own DEL could not.
/// Up to at least plugins 1.1.1 DEL learns the pod's addresses from inside its namespace, so a namespace that
/// vanished or lost its eth0 leaves the pod's iptables chain behind forever; Gantry still has the addresses in
/// the recorded ADD result and undoes what <c>ip.SetupIPMasq</c> did.
/// </summary>
internal sealed class MasqueradeLeftovers(TimeSpan timeout)
{
    /// <summary>The chain the plugin names after network and container: <c>CNI-</c> and 24 hex digits of SHA-512.</summary>
    internal static string ChainName(string networkName, string containerId) =>
        ("CNI-" + Convert.ToHexStringLower(SHA512.HashData(Encoding.UTF8.GetBytes(networkName + containerId))))[..28];

    /// <summary>The comment the plugin puts on every rule it adds for the container.</summary>
    internal static string Comment(string networkName, string containerId) => $"name: \"{networkName}\" id: \"{containerId}\"";

    /// <summary>The POSTROUTING rules that send each of the pod's IPv4 addresses to its chain.</summary>
    internal static IReadOnlyList<CommandLine> JumpRemovals(string networkName, string containerId, IEnumerable<IPAddress> podIps)
    {
        var chain = ChainName(networkName, containerId);
        var comment = Comment(networkName, containerId);
        return podIps
            .Where(ip => ip.AddressFamily == AddressFamily.InterNetwork)
            .Select(ip => Iptables("-D", "POSTROUTING", "-s", $"{ip}/32", "-m", "comment", "--comment", comment, "-j", chain))
            .ToList();
    }

    /// <summary>Empties the chain, then deletes it; the kernel refuses the delete while any jump to it remains.</summary>
    internal static IReadOnlyList<CommandLine> ChainRemovals(string networkName, string containerId)
    {
        var chain = ChainName(networkName, containerId);
        return [Iptables("-F", chain), Iptables("-X", chain)];
    }

    /// <summary>Removes the container's chain and the jumps to it, if the chain is still there and is the plugin's.</summary>
    public async Task RemoveAsync(string networkName, string containerId, IEnumerable<IPAddress> podIps, CancellationToken cancellationToken)
    {
        var listing = await HostCommand.RunAsync(Iptables("-S", ChainName(networkName, containerId)), timeout, cancellationToken);

        // No chain is the usual case: DEL removed it. A chain whose rules do not name the container (in their
        // comment, which -S prints with its quotes escaped) belongs to someone else.
        if (listing.ExitCode != 0 || !listing.Stdout.Contains(containerId, StringComparison.Ordinal))
        {
            return;
        }

        foreach (var command in JumpRemovals(networkName, containerId, podIps))
        {
            // A jump already gone (an earlier attempt got this far) is fine; one that stays makes -X fail below.
            await HostCommand.RunAsync(command, timeout, cancellationToken);
        }

        foreach (var command in ChainRemovals(networkName, containerId))
        {
            await HostCommand.RunCheckedAsync(command, timeout, cancellationToken);
        }
    }

    // -w waits for the xtables lock instead of failing when the plugin or a proxy holds it.
    private static CommandLine Iptables(params string[] arguments) => new("iptables", ["-w", "-t", "nat", .. arguments]);
}
