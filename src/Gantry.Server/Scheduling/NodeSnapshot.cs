using System.Collections;
using Gantry.Server.Kernel;
using k8s.Models;

namespace Gantry.Server.Scheduling;

/// <summary>
/// The nodes one scheduling pass decides over, with the <see cref="PodAffinityIndex"/> of their pods
/// kept in step as nodes are replaced (a placement, a node relabelled): inter-pod affinity then reads
/// counts instead of walking every pod. Plugins given a plain list build the index themselves.
/// </summary>
public sealed class NodeSnapshot : IReadOnlyList<NodeInfo>
{
    private readonly List<NodeInfo> _nodes;
    private readonly Dictionary<string, int> _index;

    public NodeSnapshot(IEnumerable<NodeInfo> nodes)
    {
        _nodes = [.. nodes];
        _index = _nodes.Select((n, i) => (n.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        Affinity = PodAffinityIndex.Of(_nodes);
    }

    public PodAffinityIndex Affinity { get; }

    public int Count => _nodes.Count;

    /// <summary>The node at <paramref name="index"/>; setting it updates the affinity index with what changed.</summary>
    public NodeInfo this[int index]
    {
        get => _nodes[index];
        set
        {
            var before = _nodes[index];
            Affinity.Replace(before, value);
            if (before.Name != value.Name)
            {
                _index.Remove(before.Name);
                _index[value.Name] = index;
            }

            _nodes[index] = value;
        }
    }

    public int IndexOf(string node) => _index[node];

    public bool TryIndexOf(string node, out int index) => _index.TryGetValue(node, out index);

    /// <summary>Puts <paramref name="pod"/> on <paramref name="node"/>, taking <paramref name="requests"/> from what it has free.</summary>
    public void Place(string node, V1Pod pod, ResourceVector requests)
    {
        var i = _index[node];
        this[i] = _nodes[i].With(pod, requests);
    }

    public IEnumerator<NodeInfo> GetEnumerator() => _nodes.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
