namespace Gantry.Server.Kernel;

/// <summary>
/// The kernel's book of every node's capacity and every allocation on it. Commits are atomic under
/// one lock: <see cref="TryCommit"/> either records all of its allocations, each fitting in what its
/// node has free at that instant, or none — so no interleaving of schedulers can over-commit a node.
/// <see cref="Record"/> is for facts the ledger must learn rather than grant (work already running
/// when the ledger is rebuilt), and is the only way a node can end up over-committed.
/// </summary>
public sealed class ResourceLedger
{
    private readonly Dictionary<string, NodeLedger> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Allocation> _allocations = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _version;
    private long _versionBesidesCommits;

    /// <summary>Rises with every change: a snapshot older than the ledger may be stale.</summary>
    public long Version
    {
        get
        {
            lock (_gate)
            {
                return _version;
            }
        }
    }

    /// <summary>
    /// Rises with every change but a <see cref="TryCommit"/>: a node set or removed, work recorded or released. A commit
    /// only takes what its committer was offered, so offers made at this version still fit and nothing new is free
    /// until it rises.
    /// </summary>
    public long VersionBesidesCommits
    {
        get
        {
            lock (_gate)
            {
                return _versionBesidesCommits;
            }
        }
    }

    /// <summary>Adds a node or changes what it can hold; its allocations stay. Setting what a node already has changes nothing.</summary>
    public void SetNode(string node, ResourceVector allocatable)
    {
        lock (_gate)
        {
            if (_nodes.TryGetValue(node, out var existing))
            {
                if (existing.Allocatable.Equals(allocatable))
                {
                    return;
                }

                existing.Allocatable = allocatable;
            }
            else
            {
                _nodes[node] = new NodeLedger(node, allocatable);
            }

            Changed();
        }
    }

    /// <summary>Forgets a node and every allocation on it.</summary>
    public void RemoveNode(string node)
    {
        lock (_gate)
        {
            if (_nodes.Remove(node, out var removed))
            {
                foreach (var id in removed.Allocations.Keys)
                {
                    _allocations.Remove(id);
                }

                Changed();
            }
        }
    }

    /// <summary>
    /// Commits all <paramref name="allocations"/> or none. Refused when a node is unknown or any node
    /// lacks free resources for what is asked of it (allocations to the same node add up). An id
    /// already committed on the same node counts as done, so a retried commit is harmless.
    /// </summary>
    public LedgerCommit TryCommit(IReadOnlyList<Allocation> allocations)
    {
        lock (_gate)
        {
            var wanted = new Dictionary<string, ResourceVector>(StringComparer.Ordinal);
            foreach (var allocation in allocations)
            {
                if (_allocations.TryGetValue(allocation.Id, out var existing))
                {
                    if (existing.Node != allocation.Node)
                    {
                        return LedgerCommit.Refused(allocation.Node, $"allocation {allocation.Id} is already on node {existing.Node}");
                    }

                    continue;
                }

                if (!_nodes.ContainsKey(allocation.Node))
                {
                    return LedgerCommit.Refused(allocation.Node, $"node {allocation.Node} is not in the ledger");
                }

                wanted[allocation.Node] = wanted.GetValueOrDefault(allocation.Node, ResourceVector.Zero).Add(allocation.Resources);
            }

            foreach (var (node, amount) in wanted)
            {
                var shortfalls = amount.Shortfalls(_nodes[node].Free);
                if (shortfalls.Count > 0)
                {
                    return LedgerCommit.Refused(node, $"insufficient {string.Join(", ", shortfalls)} on node {node}");
                }
            }

            foreach (var allocation in allocations.Where(a => !_allocations.ContainsKey(a.Id)))
            {
                Add(allocation);
            }

            _version++;
            return LedgerCommit.Committed;
        }
    }

    /// <summary>Records work that exists whatever the ledger thinks of it; replaces an earlier record of the same id.</summary>
    public void Record(Allocation allocation)
    {
        lock (_gate)
        {
            if (_allocations.TryGetValue(allocation.Id, out var existing))
            {
                if (existing.Node == allocation.Node && existing.Resources == allocation.Resources)
                {
                    return;
                }

                RemoveLocked(existing);
            }

            if (!_nodes.ContainsKey(allocation.Node))
            {
                _nodes[allocation.Node] = new NodeLedger(allocation.Node, ResourceVector.Zero);
            }

            Add(allocation);
            Changed();
        }
    }

    /// <summary>Returns an allocation's resources to its node. Idempotent.</summary>
    public Allocation? Release(string id)
    {
        lock (_gate)
        {
            if (!_allocations.TryGetValue(id, out var allocation))
            {
                return null;
            }

            RemoveLocked(allocation);
            Changed();
            return allocation;
        }
    }

    public Allocation? Find(string id)
    {
        lock (_gate)
        {
            return _allocations.GetValueOrDefault(id);
        }
    }

    /// <summary>A consistent copy of every node's account.</summary>
    public LedgerSnapshot Snapshot()
    {
        lock (_gate)
        {
            var nodes = _nodes.Values.ToDictionary(
                n => n.Name,
                n => new NodeAccount(n.Name, n.Allocatable, n.Allocated),
                StringComparer.Ordinal);
            var byFramework = new Dictionary<string, ResourceVector>(StringComparer.Ordinal);
            foreach (var allocation in _allocations.Values)
            {
                byFramework[allocation.FrameworkId] = byFramework.GetValueOrDefault(allocation.FrameworkId, ResourceVector.Zero).Add(allocation.Resources);
            }

            return new LedgerSnapshot(_version, nodes, byFramework);
        }
    }

    private void Changed()
    {
        _version++;
        _versionBesidesCommits++;
    }

    private void Add(Allocation allocation)
    {
        var node = _nodes[allocation.Node];
        node.Allocations[allocation.Id] = allocation;
        node.Allocated = node.Allocated.Add(allocation.Resources);
        _allocations[allocation.Id] = allocation;
    }

    private void RemoveLocked(Allocation allocation)
    {
        _allocations.Remove(allocation.Id);
        if (_nodes.TryGetValue(allocation.Node, out var node) && node.Allocations.Remove(allocation.Id))
        {
            node.Allocated = node.Allocated.Subtract(allocation.Resources);
        }
    }
}
