using System.Threading.Channels;
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
    private readonly Dictionary<string, V1NetworkPolicy> _policies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1Pod> _pods = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1Namespace> _namespaces = new(StringComparer.Ordinal);
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private bool _policiesListed;
    private bool _podsListed;
    private bool _namespacesListed;

    /// <summary>Holds an item after any change not yet taken by <see cref="Snapshot"/>.</summary>
    public ChannelReader<bool> Changes => _changed.Reader;

    public void Replace(IEnumerable<V1NetworkPolicy> items) => Replace(_policies, items, ref _policiesListed);

    public void Replace(IEnumerable<V1Pod> items) => Replace(_pods, items, ref _podsListed);

    public void Replace(IEnumerable<V1Namespace> items) => Replace(_namespaces, items, ref _namespacesListed);

    public void Apply(WatchEventType type, V1NetworkPolicy item) => Apply(_policies, type, item);

    public void Apply(WatchEventType type, V1Pod item) => Apply(_pods, type, item);

    public void Apply(WatchEventType type, V1Namespace item) => Apply(_namespaces, type, item);

    /// <summary>The policies, the pods with an address and the namespaces' labels; null until every kind has been listed.</summary>
    public (IReadOnlyList<V1NetworkPolicy> Policies, IReadOnlyList<V1Pod> Pods, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Namespaces)? Snapshot()
    {
        _changed.Reader.TryRead(out _);
        lock (_gate)
        {
            if (!_policiesListed || !_podsListed || !_namespacesListed)
            {
                return null;
            }

            return (
                [.. _policies.Values],
                [.. _pods.Values.Where(p => !string.IsNullOrEmpty(p.Status?.PodIP))],
                _namespaces.Values.ToDictionary(
                    n => n.Metadata.Name,
                    n => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(n.Metadata.Labels ?? new Dictionary<string, string>()),
                    StringComparer.Ordinal));
        }
    }

    private void Replace<T>(Dictionary<string, T> items, IEnumerable<T> replacement, ref bool listed) where T : IKubernetesObject<V1ObjectMeta>
    {
        lock (_gate)
        {
            items.Clear();
            foreach (var item in replacement)
            {
                items[Key(item)] = item;
            }

            listed = true;
        }

        _changed.Writer.TryWrite(true);
    }

    private void Apply<T>(Dictionary<string, T> items, WatchEventType type, T item) where T : IKubernetesObject<V1ObjectMeta>
    {
        lock (_gate)
        {
            switch (type)
            {
                case WatchEventType.Added or WatchEventType.Modified:
                    items[Key(item)] = item;
                    break;
                case WatchEventType.Deleted:
                    items.Remove(Key(item));
                    break;
                default:
                    return;
            }
        }

        _changed.Writer.TryWrite(true);
    }

    private static string Key<T>(T item) where T : IKubernetesObject<V1ObjectMeta> =>
        $"{item.Metadata.NamespaceProperty}/{item.Metadata.Name}";
}
