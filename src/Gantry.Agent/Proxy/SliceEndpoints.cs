using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using k8s.Models;

namespace Gantry.Agent.Proxy;

/// <summary>Gathers a service port's endpoints from its EndpointSlices, as kube-proxy's endpoint slice cache does.</summary>
public static class SliceEndpoints
{
    /// <summary>The label that ties an EndpointSlice to its Service.</summary>
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    /// <summary>
    /// The IPv4 endpoints of <paramref name="port"/>: from the slices labelled with its service, the slice port with the
    /// same name and protocol gives the target port (a named targetPort is already resolved there, per pod). An endpoint in
    /// several slices counts once, local if any copy says so. Ordered by address so the rules come out the same every time.
    /// </summary>
    public static IReadOnlyList<ProxyEndpoint> For(ProxyServicePort port, IEnumerable<V1EndpointSlice> slices, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(port);
        ArgumentNullException.ThrowIfNull(slices);
        var found = new Dictionary<string, ProxyEndpoint>(StringComparer.Ordinal);
        foreach (var slice in slices.Where(s => BelongsTo(s, port)).OrderBy(s => s.Name(), StringComparer.Ordinal))
        {
            var slicePort = (slice.Ports ?? []).FirstOrDefault(p =>
                (p.Name ?? "") == port.PortName && (p.Protocol ?? "TCP").Equals(port.Protocol, StringComparison.OrdinalIgnoreCase));
            if (slicePort?.Port is not { } number)
            {
                continue;
            }

            foreach (var endpoint in slice.Endpoints ?? [])
            {
                if (endpoint.Addresses is not { Count: > 0 } addresses || !IPAddress.TryParse(addresses[0], out var ip)
                    || ip.AddressFamily != AddressFamily.InterNetwork)
                {
                    continue;
                }

                var conditions = endpoint.Conditions;
                var ready = conditions?.Ready ?? true;
                var candidate = new ProxyEndpoint(
                    ip.ToString(),
                    number,
                    ready,
                    conditions?.Serving ?? ready,
                    conditions?.Terminating ?? false,
                    endpoint.NodeName == nodeName);
                if (!found.ContainsKey(candidate.Address) || candidate.IsLocal)
                {
                    found[candidate.Address] = candidate;
                }
            }
        }

        return found.Values
            .OrderBy(e => BinaryPrimitives.ReadUInt32BigEndian(IPAddress.Parse(e.Ip).GetAddressBytes()))
            .ThenBy(e => e.Port)
            .ToList();
    }

    private static bool BelongsTo(V1EndpointSlice slice, ProxyServicePort port) =>
        slice.AddressType == "IPv4"
        && (slice.Namespace() ?? "default") == port.Namespace
        && slice.Labels() is { } labels
        && labels.TryGetValue(ServiceNameLabel, out var service)
        && service == port.Service;
}
