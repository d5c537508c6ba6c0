using k8s.Models;

namespace Gantry.Server.Scheduling;

/// <summary>The pods bound to each node that still hold it, kept from the pod informer's changes.</summary>
public sealed class PodsByNode
{
    private readonly Dictionary<string, Dictionary<string, V1Pod>> _nodes = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public void Update(V1Pod? old, V1Pod? current)
    {
        lock (_gate)
        {
            if (old is not null && !string.IsNullOrEmpty(old.Spec.NodeName) && _nodes.TryGetValue(old.Spec.NodeName, out var before))
            {
                before.Remove(old.Metadata.Uid);
            }

            if (current is not null && Kernel.PodLedgerSync.Holds(current))
            {
                if (!_nodes.TryGetValue(current.Spec.NodeName, out var after))
                {
                    after = new Dictionary<string, V1Pod>(StringComparer.Ordinal);
                    _nodes[current.Spec.NodeName] = after;
                }

                after[current.Metadata.Uid] = current;
            }
        }
    }

    public IReadOnlyList<V1Pod> On(string node)
    {
        lock (_gate)
        {
            return _nodes.TryGetValue(node, out var pods) ? [.. pods.Values] : [];
        }
    }
}
