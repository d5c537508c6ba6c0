using Gantry.Server.Informers;
using k8s.Models;

namespace Gantry.Server.ClusterDns;

/// <summary>
/// The zone's view of the cluster from the server's shared informers: Services and Namespaces by key, EndpointSlices
/// indexed by the service they belong to as they change, so a query costs a few dictionary lookups.
/// </summary>
public sealed class InformerDnsSource : IClusterDnsSource
{
    private const string ServiceNameLabel = "kubernetes.io/service-name";

    private readonly Informer<V1Service> _services;
    private readonly Informer<V1Namespace> _namespaces;
    private readonly Dictionary<(string Namespace, string Service), Dictionary<string, V1EndpointSlice>> _slices = [];
    private readonly Lock _gate = new();

    /// <summary>Asks for its informers: build it before the informers start.</summary>
    public InformerDnsSource(SharedInformers informers)
    {
        ArgumentNullException.ThrowIfNull(informers);
        _services = informers.For<V1Service>();
        _namespaces = informers.For<V1Namespace>();
        informers.For<V1EndpointSlice>().OnChange(OnSliceChange);
    }

    public V1Service? Service(string ns, string name) => _services.Get(ns, name);

    public IReadOnlyList<V1EndpointSlice> Slices(string ns, string service)
    {
        lock (_gate)
        {
            return _slices.TryGetValue((ns, service), out var slices) ? [.. slices.Values] : [];
        }
    }

    public bool NamespaceExists(string ns) => _namespaces.Get(null, ns) is not null;

    // Reverse lookups walk the informers' memory: they are rare next to forward ones, and an index per address
    // would cost every Service and slice change.
    public IReadOnlyList<V1Service> ServicesWithClusterIp(string ip) =>
        _services.List(s => s.Spec?.ClusterIP == ip || s.Spec?.ClusterIPs?.Contains(ip) == true);

    public IReadOnlyList<V1EndpointSlice> SlicesWithAddress(string ip)
    {
        lock (_gate)
        {
            return [.. _slices.Values.SelectMany(slices => slices.Values)
                .Where(slice => slice.Endpoints?.Any(e => e.Addresses?.Contains(ip) == true) == true)];
        }
    }

    private void OnSliceChange(V1EndpointSlice? old, V1EndpointSlice? current)
    {
        lock (_gate)
        {
            if (old is not null && KeyOf(old) is { } oldKey && _slices.TryGetValue(oldKey, out var before))
            {
                before.Remove(old.Name());
                if (before.Count == 0)
                {
                    _slices.Remove(oldKey);
                }
            }

            if (current is not null && KeyOf(current) is { } key)
            {
                if (!_slices.TryGetValue(key, out var after))
                {
                    _slices[key] = after = new Dictionary<string, V1EndpointSlice>(StringComparer.Ordinal);
                }

                after[current.Name()] = current;
            }
        }
    }

    private static (string, string)? KeyOf(V1EndpointSlice slice) =>
        slice.Labels() is { } labels && labels.TryGetValue(ServiceNameLabel, out var service) ? (slice.Namespace() ?? "default", service) : null;
}
