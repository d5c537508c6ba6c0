using System.Collections.Concurrent;

namespace Gantry.Server.Controllers;

/// <summary>
/// The pods whose tracking finalizer a job's sync removed and whose removal the informer has not shown yet (kube's
/// <c>uidTrackingExpectations</c>): the next sync, on a copy that still has the finalizer, must not count them again.
/// </summary>
public sealed class FinalizerExpectations
{
    private readonly ConcurrentDictionary<string, HashSet<string>> _uids = new();

    /// <summary>The uids still expected for the job, as a copy.</summary>
    public IReadOnlySet<string> Expected(string jobKey)
    {
        if (!_uids.TryGetValue(jobKey, out var uids))
        {
            return new HashSet<string>();
        }

        lock (uids)
        {
            return new HashSet<string>(uids);
        }
    }

    public void Expect(string jobKey, IEnumerable<string> uids)
    {
        var set = _uids.GetOrAdd(jobKey, _ => []);
        lock (set)
        {
            set.UnionWith(uids);
        }
    }

    /// <summary>The pod was seen without the finalizer, or gone; or its removal failed and will not be seen.</summary>
    public void Observed(string jobKey, string uid)
    {
        if (_uids.TryGetValue(jobKey, out var set))
        {
            lock (set)
            {
                set.Remove(uid);
            }
        }
    }

    public void Forget(string jobKey) => _uids.TryRemove(jobKey, out _);
}
