using System.Net;
using Gantry.Server.Controllers;
using Gantry.Server.Informers;
using Gantry.Server.Registry;
using Gantry.Server.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.ClusterDns;

/// <summary>
/// Puts the cluster DNS into the server: binds its listener, publishes it as the <c>kube-dns</c> Service, and adds the
/// serving loop. Where it listens: on the server's bind address, except that a server bound to loopback (single-node
/// <c>gantry up</c>) listens on the address pods reach it at, the same one the <c>kubernetes</c> Service advertises,
/// since pods live in their own network namespaces and cannot reach the host's loopback. Whoever reaches that address
/// gets the cluster zone's answers, but names outside it are forwarded only for loopback, the host's local networks
/// and the cluster CIDR (<see cref="RecursionClients"/>); anyone else gets REFUSED, so the host is no open resolver.
/// </summary>
public static class ClusterDnsHosting
{
    /// <summary>Binds the listener and writes the <c>kube-dns</c> objects pointing at it.</summary>
    public static async Task<DnsListener> StartAsync(ServerOptions options, ObjectRegistry registry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var bound = options.Address;
        var advertised = KubernetesServiceObjects.AdvertiseAddress(bound);
        var listener = DnsListener.Bind(IPAddress.IsLoopback(bound) ? advertised : bound, options.DnsPort);
        try
        {
            await ClusterDnsObjects.EnsureAsync(registry, ClusterDnsObjects.ServiceIp(options.ServiceClusterIpRange),
                new IPEndPoint(advertised, listener.EndPoint.Port), cancellationToken).ConfigureAwait(false);
            return listener;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Adds the serving loop (it owns and closes the listener), recursing for the clients <see cref="RecursionClients"/>
    /// allows with <see cref="ServerOptions.ClusterCidr"/> and the addresses agents connect from; call while the informers are not yet started.
    /// </summary>
    public static void AddClusterDns(
        this IServiceCollection services, DnsListener listener, ServerOptions options, SharedInformers informers, NodeClientAddresses nodeClients, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);

        // The SOA serial: the server's start, as CoreDNS uses its own start until the first change.
        var serial = (uint)time.GetUtcNow().ToUnixTimeSeconds();
        var zone = new ClusterZone(new InformerDnsSource(informers), options.ClusterDomain, serial);
        var apps = new MarathonZone(new InformerMarathonSource(informers), serial);
        var forwarder = new DnsForwarder(options.DnsUpstreams ?? HostResolvers.Read(), DnsForwarder.DefaultTimeout);
        var recursion = new RecursionClients(options.ClusterCidr, LocalNetworks.Read, nodeClients.Contains, time);
        services.AddSingleton(provider => new DnsServer(
            listener, new DnsHandler(zone, forwarder, recursion, apps), informers.WaitForSyncAsync, provider.GetRequiredService<ILogger<DnsServer>>()));
        services.AddSingleton<IHostedService>(provider => provider.GetRequiredService<DnsServer>());
    }
}
