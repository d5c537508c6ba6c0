using System.Net;

namespace Gantry.Server.ClusterDns;

/// <summary>
/// Who the cluster DNS recurses for, that is forwards names outside the cluster zone: BIND's default
/// <c>allow-recursion { localhost; localnets; }</c> plus the cluster's own: the cluster CIDR and the addresses agents
/// connect to the API server from. So loopback, the networks the host's interfaces are attached to, every node's pods,
/// and every node (pods' queries reach the server masqueraded as their node); anyone else who can reach the listener gets REFUSED instead of
/// an open resolver. An IPv4-mapped IPv6 client is judged by its IPv4 address.
/// </summary>
/// <remarks>
/// The local networks are read again once <see cref="LocalNetworksLifetime"/> has passed, because the pod bridge and
/// the dev cluster's links appear after the server starts; reading them on every query would cost a walk of the
/// interfaces per forwarded name. Concurrent queries may both refresh after expiry: each read is a whole, immutable
/// snapshot, so whichever lands last simply wins.
/// </remarks>
/// <param name="clusterCidr">The CIDR every node's pod CIDR is cut from (<see cref="ServerOptions.ClusterCidr"/>).</param>
/// <param name="localNetworks">Reads the host's attached networks; <see cref="LocalNetworks.Read"/> outside tests.</param>
/// <param name="isNodeAddress">Whether an agent connects from the address (<see cref="Security.NodeClientAddresses.Contains"/> outside tests).</param>
/// <param name="time">The clock the local networks' cache runs on.</param>
public sealed class RecursionClients(IPNetwork clusterCidr, Func<IReadOnlyList<IPNetwork>> localNetworks, Func<IPAddress, bool> isNodeAddress, TimeProvider time)
{
    /// <summary>How long one read of the local networks is trusted.</summary>
    public static readonly TimeSpan LocalNetworksLifetime = TimeSpan.FromSeconds(5);

    private LocalNetworksRead? _read;

    /// <summary>Whether a query from <paramref name="client"/> for a name outside the cluster zone is forwarded.</summary>
    public bool Allows(IPAddress client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (client.IsIPv4MappedToIPv6)
        {
            client = client.MapToIPv4();
        }

        if (IPAddress.IsLoopback(client) || clusterCidr.Contains(client) || isNodeAddress(client))
        {
            return true;
        }

        foreach (var network in CurrentLocalNetworks())
        {
            if (network.Contains(client))
            {
                return true;
            }
        }

        return false;
    }

    private IReadOnlyList<IPNetwork> CurrentLocalNetworks()
    {
        var now = time.GetUtcNow();
        var read = Volatile.Read(ref _read);

        // Duration(): a clock set back must not pin a stale read for as long as it went back.
        if (read is null || (now - read.At).Duration() >= LocalNetworksLifetime)
        {
            read = new LocalNetworksRead(now, localNetworks());
            Volatile.Write(ref _read, read);
        }

        return read.Networks;
    }

    private sealed record LocalNetworksRead(DateTimeOffset At, IReadOnlyList<IPNetwork> Networks);
}
