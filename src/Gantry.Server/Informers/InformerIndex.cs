using k8s;
using k8s.Models;

namespace Gantry.Server.Informers;

/// <summary>
/// An informer's objects grouped by one value computed from each (client-go's indexers): the namespace, so that a
/// controller listing one namespace's pods reads that namespace only, or a pod's controller uid, so that a
/// ReplicaSet reads its own pods only. An object missing from the index yields no value. Not synchronized: the
/// informer's lock guards it with the objects themselves.
/// </summary>
internal sealed class InformerIndex<T>(Func<T, string?> valueOf) where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Dictionary<string, Dictionary<string, T>> _groups = new(StringComparer.Ordinal);

    /// <summary>Records <paramref name="obj"/> under its key, moving it out of the group <paramref name="old"/> was in.</summary>
    public void Put(string key, T? old, T obj)
    {
        var value = valueOf(obj);
        if (old is not null && valueOf(old) is { } previous && previous != value)
        {
            RemoveFrom(previous, key);
        }

        if (value is null)
        {
            return;
        }

        if (!_groups.TryGetValue(value, out var group))
        {
            _groups[value] = group = new Dictionary<string, T>(StringComparer.Ordinal);
        }

        group[key] = obj;
    }

    public void Remove(string key, T obj)
    {
        if (valueOf(obj) is { } value)
        {
            RemoveFrom(value, key);
        }
    }

    public List<T> List(string value) => _groups.TryGetValue(value, out var group) ? [.. group.Values] : [];

    private void RemoveFrom(string value, string key)
    {
        if (_groups.TryGetValue(value, out var group) && group.Remove(key) && group.Count == 0)
        {
            _groups.Remove(value);
        }
    }
}
