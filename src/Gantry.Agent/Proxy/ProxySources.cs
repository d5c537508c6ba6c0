using System.Threading.Channels;
using Gantry.Agent.Watching;
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
    private readonly KnownObjects<V1Service> _services = new();
    private readonly KnownObjects<V1EndpointSlice> _slices = new();
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Holds an item after any change not yet taken by <see cref="Snapshot"/>.</summary>
    public ChannelReader<bool> Changes => _changed.Reader;

    public void ReplaceServices(IEnumerable<V1Service> services)
    {
        lock (_gate)
        {
            _services.Replace(services);
        }

        _changed.Writer.TryWrite(true);
    }

    public void ReplaceSlices(IEnumerable<V1EndpointSlice> slices)
    {
        lock (_gate)
        {
            _slices.Replace(slices);
        }

        _changed.Writer.TryWrite(true);
    }

    public void Apply(WatchEventType type, V1Service service)
    {
        lock (_gate)
        {
            _services.Apply(type, service);
        }

        _changed.Writer.TryWrite(true);
    }

    public void Apply(WatchEventType type, V1EndpointSlice slice)
    {
        lock (_gate)
        {
            _slices.Apply(type, slice);
        }

        _changed.Writer.TryWrite(true);
    }

    /// <summary>The services known now, without taking the change signal; null until they have been listed.</summary>
    public IReadOnlyList<V1Service>? Services()
    {
        lock (_gate)
        {
            return _services.Listed ? _services.Values : null;
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
            return _services.Listed && _slices.Listed ? (_services.Values, _slices.Values) : null;
        }
    }
}
