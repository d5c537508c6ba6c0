using System.Threading.Channels;
using Gantry.Agent.Watching;
using k8s;
using k8s.Models;

namespace Gantry.Agent.Policy;

/// <summary>
/// The NetworkPolicies, pods and namespaces the enforcer has seen, kept current by its watches, with a signal that
/// something changed. Firewalls are written only once all three kinds have been listed, so a restart never opens a
/// pod the policies isolate, or isolates one half-way.
/// </summary>
internal sealed class PolicySources
{
    private readonly Lock _gate = new();
    private readonly KnownObjects<V1NetworkPolicy> _policies = new();
    private readonly KnownObjects<V1Pod> _pods = new();
    private readonly KnownObjects<V1Namespace> _namespaces = new();
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Holds an item after any change not yet taken by <see cref="Snapshot"/>.</summary>
    public ChannelReader<bool> Changes => _changed.Reader;

    public void Replace(IEnumerable<V1NetworkPolicy> items) => Replace(_policies, items);

    public void Replace(IEnumerable<V1Pod> items) => Replace(_pods, items);

    public void Replace(IEnumerable<V1Namespace> items) => Replace(_namespaces, items);

    public void Apply(WatchEventType type, V1NetworkPolicy item) => Apply(_policies, type, item);

    public void Apply(WatchEventType type, V1Pod item) => Apply(_pods, type, item);

    public void Apply(WatchEventType type, V1Namespace item) => Apply(_namespaces, type, item);

    /// <summary>The policies, the pods with an address and the namespaces' labels; null until every kind has been listed.</summary>
    public (IReadOnlyList<V1NetworkPolicy> Policies, IReadOnlyList<V1Pod> Pods, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Namespaces)? Snapshot()
    {
        _changed.Reader.TryRead(out _);
        lock (_gate)
        {
            if (!_policies.Listed || !_pods.Listed || !_namespaces.Listed)
            {
                return null;
            }

            return (
                _policies.Values,
                [.. _pods.Values.Where(p => !string.IsNullOrEmpty(p.Status?.PodIP))],
                _namespaces.Values.ToDictionary(
                    n => n.Metadata.Name,
                    n => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(n.Metadata.Labels ?? new Dictionary<string, string>()),
                    StringComparer.Ordinal));
        }
    }

    private void Replace<T>(KnownObjects<T> known, IEnumerable<T> items) where T : IKubernetesObject<V1ObjectMeta>
    {
        lock (_gate)
        {
            known.Replace(items);
        }

        _changed.Writer.TryWrite(true);
    }

    private void Apply<T>(KnownObjects<T> known, WatchEventType type, T item) where T : IKubernetesObject<V1ObjectMeta>
    {
        bool changed;
        lock (_gate)
        {
            changed = known.Apply(type, item);
        }

        if (changed)
        {
            _changed.Writer.TryWrite(true);
        }
    }
}
