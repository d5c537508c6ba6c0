using Gantry.Server.ClusterDns;
using k8s.Models;

namespace Gantry.Tests.ClusterDns;

/// <summary>An in-memory cluster for the zone: services, slices and namespaces added by the test.</summary>
internal sealed class FakeDnsSource : IClusterDnsSource
{
    private readonly List<V1Service> _services = [];
    private readonly List<V1EndpointSlice> _slices = [];
    private readonly HashSet<string> _namespaces = ["default", "kube-system"];

    public FakeDnsSource Add(V1Service service)
    {
        _services.Add(service);
        return this;
    }

    public FakeDnsSource Add(V1EndpointSlice slice)
    {
        _slices.Add(slice);
        return this;
    }

    public V1Service? Service(string ns, string name) => _services.FirstOrDefault(s => s.Namespace() == ns && s.Name() == name);

    public IReadOnlyList<V1EndpointSlice> Slices(string ns, string service) =>
        [.. _slices.Where(s => s.Namespace() == ns && s.Labels()?["kubernetes.io/service-name"] == service)];

    public bool NamespaceExists(string ns) => _namespaces.Contains(ns);

    public IReadOnlyList<V1Service> ServicesWithClusterIp(string ip) => [.. _services.Where(s => s.Spec?.ClusterIP == ip)];

    public IReadOnlyList<V1EndpointSlice> SlicesWithAddress(string ip) =>
        [.. _slices.Where(s => s.Endpoints?.Any(e => e.Addresses?.Contains(ip) == true) == true)];

    public static V1Service ClusterIp(string name, string ip, params V1ServicePort[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1ServiceSpec { ClusterIP = ip, Ports = [.. ports] },
    };

    public static V1EndpointSlice Slice(string service, IEnumerable<V1Endpoint> endpoints, params Discoveryv1EndpointPort[] ports) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = service + "-abcde",
            NamespaceProperty = "default",
            Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = service },
        },
        AddressType = "IPv4",
        Endpoints = [.. endpoints],
        Ports = [.. ports],
    };

    public static V1Endpoint Endpoint(string ip, string? hostname = null, bool ready = true) =>
        new() { Addresses = [ip], Hostname = hostname, Conditions = new V1EndpointConditions { Ready = ready } };
}
