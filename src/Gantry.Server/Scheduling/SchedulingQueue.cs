using k8s.Models;

namespace Gantry.Server.Scheduling;

/// <summary>
/// Pending pods in the order they are tried: higher priority first, then older first. Pods that
/// fit nowhere wait aside until the cluster changes (<see cref="RetryUnschedulable"/>), instead of
/// being retried in a loop. Keys are <c>namespace/name</c>; a pod is in the queue at most once.
/// A change that comes while a pod is being tried would find it in neither place, so, as kube-scheduler's
/// queue compares its move-request cycle with the pod's, such a pod is tried again in the next pass
/// (<see cref="RetryIfChangeMissed"/>) rather than set aside for good.
/// </summary>
public sealed class SchedulingQueue
{
    private readonly PriorityQueue<string, (int Priority, long Sequence)> _active = new(Comparer<(int Priority, long Sequence)>.Create(
        (a, b) => a.Priority != b.Priority ? b.Priority.CompareTo(a.Priority) : a.Sequence.CompareTo(b.Sequence)));
    private readonly Dictionary<string, V1Pod> _pending = new(StringComparer.Ordinal);
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1Pod> _unschedulable = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _poppedAtChange = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _sequence;
    private long _changes;
    private bool _changeMissed;

    public int ActiveCount
    {
        get
        {
            lock (_gate)
            {
                return _queued.Count;
            }
        }
    }

    /// <summary>Adds or refreshes a pending pod; a refreshed unschedulable pod is tried again (its spec may have changed).</summary>
    public void Upsert(string key, V1Pod pod)
    {
        lock (_gate)
        {
            _pending[key] = pod;
            _unschedulable.Remove(key);
            if (_queued.Add(key))
            {
                _active.Enqueue(key, (pod.Spec.Priority ?? 0, ++_sequence));
            }
        }
    }

    /// <summary>Keeps the pod's latest state without trying it again (only its status changed).</summary>
    public void Refresh(string key, V1Pod pod)
    {
        lock (_gate)
        {
            if (_pending.ContainsKey(key))
            {
                _pending[key] = pod;
                if (_unschedulable.ContainsKey(key))
                {
                    _unschedulable[key] = pod;
                }
            }
        }
    }

    public void Remove(string key)
    {
        lock (_gate)
        {
            _pending.Remove(key);
            _unschedulable.Remove(key);
            _poppedAtChange.Remove(key);
        }
    }

    /// <summary>The next pod to try, or null when none is waiting.</summary>
    public V1Pod? Pop()
    {
        lock (_gate)
        {
            while (_active.TryDequeue(out var key, out _))
            {
                _queued.Remove(key);
                if (_pending.TryGetValue(key, out var pod) && !_unschedulable.ContainsKey(key))
                {
                    _poppedAtChange[key] = _changes;
                    return pod;
                }
            }

            return null;
        }
    }

    /// <summary>
    /// Sets a pod that was tried and fits nowhere aside; true when the cluster changed while it was tried, so that
    /// the caller makes sure another pass comes (which <see cref="RetryIfChangeMissed"/> opens with).
    /// </summary>
    public bool MarkUnschedulable(string key, V1Pod pod)
    {
        lock (_gate)
        {
            var missed = _poppedAtChange.Remove(key, out var poppedAt) && poppedAt != _changes;
            if (_pending.ContainsKey(key) && !_queued.Contains(key))
            {
                _unschedulable[key] = pod;
                _changeMissed |= missed;
                return missed;
            }

            return false;
        }
    }

    /// <summary>Puts the unschedulable pods back in line when a change came while one of them was being tried.</summary>
    public bool RetryIfChangeMissed()
    {
        lock (_gate)
        {
            return _changeMissed && RetryUnschedulable();
        }
    }

    /// <summary>The waiting pods that <paramref name="predicate"/> selects (the members of a gang), oldest first.</summary>
    public List<(string Key, V1Pod Pod)> Pending(Func<V1Pod, bool> predicate)
    {
        lock (_gate)
        {
            return [.. _pending.Where(kv => predicate(kv.Value))
                .OrderBy(kv => kv.Value.Metadata.CreationTimestamp ?? DateTime.MinValue)
                .ThenBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => (kv.Key, kv.Value))];
        }
    }

    /// <summary>Sets a waiting pod aside until the cluster changes, whether or not it is also in line (a gang waits as one).</summary>
    public void Park(string key, V1Pod pod)
    {
        lock (_gate)
        {
            if (_pending.ContainsKey(key))
            {
                _unschedulable[key] = pod;
            }
        }
    }

    /// <summary>Puts every unschedulable pod back in line; true when there were any.</summary>
    public bool RetryUnschedulable()
    {
        lock (_gate)
        {
            _changes++;
            _changeMissed = false;
            if (_unschedulable.Count == 0)
            {
                return false;
            }

            foreach (var (key, pod) in _unschedulable)
            {
                if (_queued.Add(key))
                {
                    _active.Enqueue(key, (pod.Spec.Priority ?? 0, ++_sequence));
                }
            }

            _unschedulable.Clear();
            return true;
        }
    }
}
