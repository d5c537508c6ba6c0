using k8s;
using k8s.Models;

namespace Gantry.Agent.Watching;

/// <summary>
/// The objects of one kind a list-and-watch (<see cref="ListWatch"/>) has seen, by namespace and name, and whether
/// they have been listed yet. Not synchronized: its owner holds its own lock around it.
/// </summary>
internal sealed class KnownObjects<T> where T : IKubernetesObject<V1ObjectMeta>
{
    private readonly Dictionary<string, T> _objects = new(StringComparer.Ordinal);

    /// <summary>Whether a list has been taken in, so that the objects are the whole kind.</summary>
    public bool Listed { get; private set; }

    public List<T> Values => [.. _objects.Values];

    public void Replace(IEnumerable<T> items)
    {
        _objects.Clear();
        foreach (var item in items)
        {
            _objects[Key(item)] = item;
        }

        Listed = true;
    }

    /// <summary>Takes in a watch event; whether it changed anything (bookmarks and errors do not).</summary>
    public bool Apply(WatchEventType type, T item)
    {
        switch (type)
        {
            case WatchEventType.Added or WatchEventType.Modified:
                _objects[Key(item)] = item;
                return true;
            case WatchEventType.Deleted:
                _objects.Remove(Key(item));
                return true;
            default:
                return false;
        }
    }

    private static string Key(T item) => $"{item.Metadata.NamespaceProperty}/{item.Metadata.Name}";
}
