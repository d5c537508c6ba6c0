using k8s.Models;

namespace Gantry.Server.ClusterDns;

/// <summary>The cluster state the DNS zone answers from, in memory: nothing behind it may touch the store per query.</summary>
public interface IClusterDnsSource
{
    V1Service? Service(string ns, string name);

    /// <summary>The EndpointSlices labelled <c>kubernetes.io/service-name: <paramref name="service"/></c> in <paramref name="ns"/>.</summary>
    IReadOnlyList<V1EndpointSlice> Slices(string ns, string service);

    bool NamespaceExists(string ns);

    /// <summary>The Services one of whose cluster IPs is <paramref name="ip"/> (in its canonical text form).</summary>
    IReadOnlyList<V1Service> ServicesWithClusterIp(string ip);

    /// <summary>The EndpointSlices of Services with an endpoint whose address is <paramref name="ip"/> (canonical text).</summary>
    IReadOnlyList<V1EndpointSlice> SlicesWithAddress(string ip);
}
