using Gantry.Server.Controllers;
using Gantry.Server.Kernel;
using k8s.Models;

namespace Gantry.Server.Scheduling;

/// <summary>
/// A node as one scheduling decision sees it: the Node object, what it can hold, what the scheduler
/// may use of it now (its offers), and the pods on it (for host ports and affinity).
/// </summary>
/// <remarks>
/// The facts every filter asks of every node it examines (name, labels, cordon, taints) are read from the Node once,
/// when it is set: a decision examines hundreds of nodes, and following each one's Node, spec and metadata objects
/// through memory cost more than the filters' own work (a tenth of the server's CPU at 5,000 nodes).
/// </remarks>
public sealed record NodeInfo
{
    private static readonly Dictionary<string, string> NoLabels = [];

    private readonly V1Node _node = null!;
    private readonly IReadOnlyList<V1Pod> _pods = [];

    /// <summary>
    /// How many of <see cref="Pods"/> each controller owns, by its uid; counted on first use, once per node version
    /// (setting <see cref="Pods"/>, as <see cref="With"/> does, forgets it). SelectorSpread asks it of every feasible
    /// node, and following each pod's owner references there cost a tenth of the server's CPU with controllers' pods.
    /// </summary>
    private Dictionary<string, int>? _podsByController;

    private readonly ResourceVector _allocatable = ResourceVector.Zero;
    private readonly ResourceVector _free = ResourceVector.Zero;

    /// <summary>The last label looked up, with its value: affinity and spread ask every node for one topology key.</summary>
    private LabelLookup? _lastLabel;

    /// <summary>The last domain id looked up, with the index and key it was for.</summary>
    private DomainLookup? _lastDomain;

    /// <summary>The last controller asked about, with its count of this node's pods.</summary>
    private ControllerCount? _lastController;

    public NodeInfo(V1Node node, ResourceVector allocatable, ResourceVector free, IReadOnlyList<V1Pod> pods)
    {
        Node = node;
        Allocatable = allocatable;
        Free = free;
        Pods = pods;
    }

    public V1Node Node
    {
        get => _node;
        init
        {
            _node = value;
            Name = value.Metadata.Name;
            Labels = value.Metadata.Labels ?? NoLabels;
            _lastLabel = null;
            _lastDomain = null;
            Unschedulable = value.Spec?.Unschedulable == true;
            Taints = value.Spec?.Taints is { Count: > 0 } taints ? [.. taints] : [];
        }
    }

    public ResourceVector Allocatable
    {
        get => _allocatable;
        init
        {
            _allocatable = value;
            AllocatableCpuMillis = value.CpuMillis;
            AllocatableMemoryBytes = value.MemoryBytes;
        }
    }

    public ResourceVector Free
    {
        get => _free;
        init
        {
            _free = value;
            FreeCpuMillis = value.CpuMillis;
            FreeMemoryBytes = value.MemoryBytes;
            FreeEphemeralStorageBytes = value.EphemeralStorageBytes;
            FreePods = value.Pods;
        }
    }

    // The amounts the filters and scores read of each of the hundreds of nodes a decision examines, copied out of
    // Allocatable and Free so that a node's first look touches this object alone: following the two vectors cost as
    // much as the checks themselves (cache misses, at 5,000 nodes).
    public long AllocatableCpuMillis { get; private init; }

    public long AllocatableMemoryBytes { get; private init; }

    public long FreeCpuMillis { get; private init; }

    public long FreeMemoryBytes { get; private init; }

    public long FreeEphemeralStorageBytes { get; private init; }

    public long FreePods { get; private init; }

    public IReadOnlyList<V1Pod> Pods
    {
        get => _pods;
        init
        {
            _pods = value;
            _podsByController = null;
            _lastController = null;
        }
    }

    public string Name { get; private init; } = "";

    /// <summary>The Node's labels; shared and empty when it has none, so never to be changed.</summary>
    public IDictionary<string, string> Labels { get; private init; } = NoLabels;

    /// <summary>Whether the node is cordoned (<c>spec.unschedulable</c>).</summary>
    public bool Unschedulable { get; private init; }

    public IReadOnlyList<V1Taint> Taints { get; private init; } = [];

    /// <summary>Whether <paramref name="requests"/> fit in what the node has free.</summary>
    public bool Fits(ResourceVector requests) =>
        requests.CpuMillis <= FreeCpuMillis && requests.MemoryBytes <= FreeMemoryBytes && requests.Pods <= FreePods
        && requests.EphemeralStorageBytes <= FreeEphemeralStorageBytes && (requests.Extended.IsEmpty || requests.FitsIn(_free));

    /// <summary>The value of the node's label <paramref name="key"/>, or null.</summary>
    public string? Label(string key)
    {
        if (_lastLabel is { } last && last.Key == key)
        {
            return last.Value;
        }

        var value = Labels.TryGetValue(key, out var found) ? found : null;
        _lastLabel = new LabelLookup(key, value);
        return value;
    }

    /// <summary>The id in <paramref name="index"/> of this node's domain of topology key <paramref name="key"/>; −1 without the label.</summary>
    public int DomainId(PodAffinityIndex index, string key)
    {
        if (_lastDomain is { } last && ReferenceEquals(last.Index, index) && last.Key == key)
        {
            return last.Id;
        }

        var id = Label(key) is { } value ? index.DomainId(key, value) : -1;
        _lastDomain = new DomainLookup(index, key, id);
        return id;
    }

    /// <summary>How many of this node's pods the controller with uid <paramref name="controllerUid"/> owns.</summary>
    public int PodsControlledBy(string controllerUid)
    {
        // Consecutive decisions mostly place pods of one controller: each node answers them from one object instead
        // of a dictionary lookup, whose buckets and entries each missed the cache in a profile.
        if (_lastController is { } last && string.Equals(last.Uid, controllerUid, StringComparison.Ordinal))
        {
            return last.Count;
        }

        var count = CountsByController().GetValueOrDefault(controllerUid);
        _lastController = new ControllerCount(controllerUid, count);
        return count;
    }

    private Dictionary<string, int> CountsByController()
    {
        if (_podsByController is null)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var pod in _pods)
            {
                if (OwnerReferences.ControllerOf(pod.Metadata)?.Uid is { } uid)
                {
                    counts[uid] = counts.GetValueOrDefault(uid) + 1;
                }
            }

            _podsByController = counts;
        }

        return _podsByController;
    }

    /// <summary>This node with <paramref name="pod"/> placed on it.</summary>
    public NodeInfo With(V1Pod pod, ResourceVector requests) => this with { Free = Free.Subtract(requests), Pods = [.. Pods, pod] };

    // One object, so that a lookup on another thread never reads one key's value for another key.
    private sealed record LabelLookup(string Key, string? Value);

    private sealed record DomainLookup(PodAffinityIndex Index, string Key, int Id);

    private sealed record ControllerCount(string Uid, int Count);
}
