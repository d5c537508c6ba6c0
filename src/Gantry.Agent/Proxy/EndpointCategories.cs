namespace Gantry.Agent.Proxy;

/// <summary>
/// Which endpoints each traffic policy of a service port uses (kube-proxy's CategorizeEndpoints, without topology hints).
/// </summary>
/// <param name="Cluster">For <c>Cluster</c> policy: the ready endpoints, or if none is ready the serving terminating ones.</param>
/// <param name="Local">For <c>Local</c> policy: the same choice among this node's endpoints.</param>
/// <param name="AllReachable">Every endpoint some rule leads to; each gets a chain.</param>
/// <param name="HasAny">Some usable endpoint exists anywhere; without one, traffic is rejected.</param>
public sealed record EndpointCategories(
    IReadOnlyList<ProxyEndpoint> Cluster,
    IReadOnlyList<ProxyEndpoint> Local,
    IReadOnlyList<ProxyEndpoint> AllReachable,
    bool HasAny)
{
    public static EndpointCategories Of(ProxyServicePort port, IReadOnlyList<ProxyEndpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(port);
        ArgumentNullException.ThrowIfNull(endpoints);
        List<ProxyEndpoint> cluster = [];
        var hasAny = false;
        if (port.UsesClusterEndpoints)
        {
            cluster = endpoints.Where(e => e.Ready).ToList();
            if (cluster.Count == 0)
            {
                cluster = endpoints.Where(e => e.Serving && e.Terminating).ToList();
            }

            hasAny = cluster.Count > 0;
        }

        if (!port.UsesLocalEndpoints)
        {
            return new EndpointCategories(cluster, [], cluster, hasAny);
        }

        hasAny |= endpoints.Any(e => e.Ready || (e.Serving && e.Terminating));
        var local = endpoints.Any(e => e.IsLocal && e.Ready)
            ? endpoints.Where(e => e.IsLocal && e.Ready).ToList()
            : endpoints.Where(e => e.IsLocal && e.Serving && e.Terminating).ToList();
        if (!port.UsesClusterEndpoints)
        {
            return new EndpointCategories(cluster, local, local, hasAny);
        }

        var all = cluster.Concat(local).DistinctBy(e => e.Address).ToList();
        return new EndpointCategories(cluster, local, all, hasAny);
    }
}
