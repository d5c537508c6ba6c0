using System.Threading.Channels;
using k8s;
using k8s.Models;

namespace Gantry.Agent.Proxy;

/// <summary>
/// The Services and EndpointSlices the proxy has seen, kept current by its watches, with a signal that something changed.
/// Rules are written only once both kinds have been listed, so a restart never programs half the cluster.
/// </summary>
internal sealed class ProxySources
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, V1Service> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1EndpointSlice> _slices = new(StringComparer.Ordinal);
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private bool _servicesListed;
    private bool _slicesListed;

    /// <summary>Holds an item after any change not yet taken by <see cref="Snapshot"/>.</summary>
    public ChannelReader<bool> Changes => _changed.Reader;

    public void ReplaceServices(IEnumerable<V1Service> services)
    {
        lock (_gate)
        {
            Replace(_services, services);
            _servicesListed = true;
        }

        _changed.Writer.TryWrite(true);
    }

    public void ReplaceSlices(IEnumerable<V1EndpointSlice> slices)
    {
        lock (_gate)
        {
            Replace(_slices, slices);
            _slicesListed = true;
        }

        _changed.Writer.TryWrite(true);
    }

    public void Apply(WatchEventType type, V1Service service)
    {
        lock (_gate)
        {
            Apply(_services, type, service);
        }

        _changed.Writer.TryWrite(true);
    }

    public void Apply(WatchEventType type, V1EndpointSlice slice)
    {
        lock (_gate)
        {
            Apply(_slices, type, slice);
        }

        _changed.Writer.TryWrite(true);
    }

    /// <summary>The services known now, without taking the change signal; null until they have been listed.</summary>
    public IReadOnlyList<V1Service>? Services()
    {
        lock (_gate)
        {
            return _servicesListed ? _services.Values.ToList() : null;
        }
    }

    /// <summary>Takes the pending change signal and returns what is known now; null until both kinds have been listed.</summary>
    public (IReadOnlyList<V1Service> Services, IReadOnlyList<V1EndpointSlice> Slices)? Snapshot()
    {
        _changed.Reader.TryRead(out _);
        return Known();
    }

    /// <summary>What is known now, leaving the change signal to the proxy; null until both kinds have been listed.</summary>
    public (IReadOnlyList<V1Service> Services, IReadOnlyList<V1EndpointSlice> Slices)? Known()
    {
        lock (_gate)
        {
            return _servicesListed && _slicesListed ? (_services.Values.ToList(), _slices.Values.ToList()) : null;
        }
    }

    private static void Replace<T>(Dictionary<string, T> known, IEnumerable<T> items)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        known.Clear();
        foreach (var item in items)
        {
            known[Key(item)] = item;
        }
    }

    private static void Apply<T>(Dictionary<string, T> known, WatchEventType type, T item)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        switch (type)
        {
            case WatchEventType.Added or WatchEventType.Modified:
                known[Key(item)] = item;
                break;
            case WatchEventType.Deleted:
                known.Remove(Key(item));
                break;
        }
    }

    private static string Key(IKubernetesObject<V1ObjectMeta> item) => $"{item.Namespace()}/{item.Name()}";
}
