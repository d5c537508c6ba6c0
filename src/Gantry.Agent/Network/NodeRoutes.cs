using System.Net;

namespace Gantry.Agent.Network;

/// <summary>
/// Routes from this node to the pod CIDRs of the others, each through that node's own address, so pods on
/// different nodes reach each other without encapsulation (the nodes must share a link, as kubenet assumes).
/// </summary>
/// <param name="commandTimeout">How long one <c>ip</c> command may run.</param>
/// <param name="hostNamespace">
/// The named network namespace whose routing table to change; null for the agent's own. Lets one machine play
/// several nodes, each in a namespace of its own.
/// </param>
public sealed class NodeRoutes(TimeSpan commandTimeout, string? hostNamespace = null)
{
    /// <summary>Routes <paramref name="podCidr"/> via <paramref name="nodeIp"/>, replacing any route to it. Idempotent.</summary>
    /// <exception cref="NetworkCommandException">The kernel refused, e.g. because the node's address is not on a local link.</exception>
    public Task AddAsync(IPNetwork podCidr, IPAddress nodeIp, CancellationToken cancellationToken) =>
        HostCommand.RunCheckedAsync(ReplaceCommand(podCidr, nodeIp, hostNamespace), commandTimeout, cancellationToken);

    /// <summary>Removes the route to <paramref name="podCidr"/> via <paramref name="nodeIp"/>. Idempotent: no such route is success.</summary>
    /// <exception cref="NetworkCommandException">The kernel refused for another reason.</exception>
    public async Task RemoveAsync(IPNetwork podCidr, IPAddress nodeIp, CancellationToken cancellationToken)
    {
        var command = DeleteCommand(podCidr, nodeIp, hostNamespace);
        var output = await HostCommand.RunAsync(command, commandTimeout, cancellationToken);
        if (output.ExitCode != 0 && !IsMissingRoute(output.Stderr))
        {
            throw HostCommand.Failure(command, output);
        }
    }

    /// <summary>The routes inside <paramref name="clusterCidr"/> (<c>ip -4 route show root CIDR</c>), as <c>ip</c> prints them.</summary>
    /// <exception cref="NetworkCommandException">ip failed.</exception>
    public async Task<string> ListAsync(IPNetwork clusterCidr, CancellationToken cancellationToken)
    {
        var command = ListCommand(clusterCidr, hostNamespace);
        var output = await HostCommand.RunAsync(command, commandTimeout, cancellationToken);
        return output.ExitCode == 0 ? output.Stdout : throw HostCommand.Failure(command, output);
    }

    internal static CommandLine ListCommand(IPNetwork clusterCidr, string? hostNamespace) =>
        Ip(hostNamespace, "-4", "route", "show", "root", clusterCidr.ToString());

    internal static CommandLine ReplaceCommand(IPNetwork podCidr, IPAddress nodeIp, string? hostNamespace) =>
        Ip(hostNamespace, "route", "replace", Destination(podCidr, nodeIp), "via", nodeIp.ToString());

    internal static CommandLine DeleteCommand(IPNetwork podCidr, IPAddress nodeIp, string? hostNamespace) =>
        Ip(hostNamespace, "route", "delete", Destination(podCidr, nodeIp), "via", nodeIp.ToString());

    /// <summary>ESRCH, which is how the kernel says there is no route matching a delete.</summary>
    internal static bool IsMissingRoute(string stderr) => stderr.Contains("No such process", StringComparison.Ordinal);

    private static string Destination(IPNetwork podCidr, IPAddress nodeIp)
    {
        ArgumentNullException.ThrowIfNull(nodeIp);
        if (podCidr.BaseAddress.AddressFamily != nodeIp.AddressFamily)
        {
            throw new ArgumentException($"cannot route {podCidr} via {nodeIp}: the address families differ", nameof(nodeIp));
        }

        return podCidr.ToString();
    }

    private static CommandLine Ip(string? hostNamespace, params string[] arguments) =>
        hostNamespace is null ? new CommandLine("ip", arguments) : new CommandLine("ip", ["-n", hostNamespace, .. arguments]);
}
