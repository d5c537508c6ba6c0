using System.Text;
using System.Text.Json.Nodes;

namespace Gantry.Core.Patching;

/// <summary>
/// A set of field paths in the shape of managedFields' <c>FieldsV1</c>: a tree whose edges are
/// path elements (<c>f:name</c> a field, <c>k:{"name":"x"}</c> a keyed list element,
/// <c>v:"x"</c> a set element) and whose nodes may themselves be members of the set.
/// </summary>
internal sealed class FieldSet
{
    private static readonly IComparer<KeyValuePair<string, FieldSet>> ChildOrder =
        Comparer<KeyValuePair<string, FieldSet>>.Create((x, y) => CompareElements(x.Key, y.Key));

    // Unordered: the set algebra of every write needs no order, and keeping one cost a sorted tree per node and
    // comparisons on every insert. Children (and so FieldsV1 and member paths) comes out in structured-merge-diff's order.
    private Dictionary<string, FieldSet>? children;

    public bool IsMember { get; set; }

    public bool IsEmpty => !IsMember && (children is null || children.Count == 0);

    /// <summary>The children in structured-merge-diff's order: fields, then keyed elements, set elements and indices, each by name.</summary>
    public IEnumerable<KeyValuePair<string, FieldSet>> Children => SortedChildren();

    private KeyValuePair<string, FieldSet>[] SortedChildren()
    {
        if (children is null || children.Count == 0)
        {
            return [];
        }

        var sorted = children.ToArray();
        Array.Sort(sorted, ChildOrder);
        return sorted;
    }

    public FieldSet? Child(string element) => children?.GetValueOrDefault(element);

    public FieldSet GetOrAddChild(string element)
    {
        children ??= new Dictionary<string, FieldSet>(StringComparer.Ordinal);
        if (!children.TryGetValue(element, out var child))
        {
            child = new FieldSet();
            children[element] = child;
        }

        return child;
    }

    /// <summary>
    /// Adds <paramref name="child"/> under <paramref name="element"/> unless it is empty. The set takes
    /// <paramref name="child"/> over where it has no such element yet (every caller passes a set built for the call),
    /// so that building a set costs its size, not its size times its depth in copies.
    /// </summary>
    public void AddChild(string element, FieldSet child)
    {
        if (child.IsEmpty)
        {
            return;
        }

        children ??= new Dictionary<string, FieldSet>(StringComparer.Ordinal);
        if (children.TryGetValue(element, out var existing))
        {
            existing.UnionWith(child);
        }
        else
        {
            children[element] = child;
        }
    }

    /// <summary>Removes <paramref name="element"/> with everything below it (structured-merge-diff's RecursiveDifference of one path).</summary>
    public void RemoveChild(string element) => children?.Remove(element);

    public FieldSet Clone()
    {
        var clone = new FieldSet();
        clone.UnionWith(this);
        return clone;
    }

    public void UnionWith(FieldSet other)
    {
        IsMember |= other.IsMember;
        if (other.children is null)
        {
            return;
        }

        foreach (var (element, child) in other.children)
        {
            GetOrAddChild(element).UnionWith(child);
        }
    }

    /// <summary>Removes the members of <paramref name="other"/>; members below them stay, as in structured-merge-diff's Difference.</summary>
    public void ExceptWith(FieldSet other)
    {
        if (other.IsMember)
        {
            IsMember = false;
        }

        if (children is null || other.children is null)
        {
            return;
        }

        foreach (var (element, theirs) in other.children)
        {
            if (children.TryGetValue(element, out var mine))
            {
                mine.ExceptWith(theirs);
                if (mine.IsEmpty)
                {
                    children.Remove(element);
                }
            }
        }
    }

    public FieldSet Intersect(FieldSet other)
    {
        var result = new FieldSet { IsMember = IsMember && other.IsMember };
        if (children is null)
        {
            return result;
        }

        foreach (var (element, mine) in children)
        {
            if (other.Child(element) is { } theirs)
            {
                result.AddChild(element, mine.Intersect(theirs));
            }
        }

        return result;
    }

    public bool SetEquals(FieldSet other) => ToFieldsV1().ToJsonString() == other.ToFieldsV1().ToJsonString();

    /// <summary>The members as structured-merge-diff prints paths, e.g. <c>.spec.containers[name="nginx"].image</c>.</summary>
    public IEnumerable<string> MemberPaths() => MemberPaths("");

    private IEnumerable<string> MemberPaths(string prefix)
    {
        if (IsMember)
        {
            yield return prefix;
        }

        foreach (var (element, child) in Children)
        {
            foreach (var path in child.MemberPaths(prefix + Describe(element)))
            {
                yield return path;
            }
        }
    }

    public JsonObject ToFieldsV1()
    {
        var result = new JsonObject();
        if (IsMember && children is { Count: > 0 })
        {
            result["."] = new JsonObject();
        }

        foreach (var (element, child) in SortedChildren())
        {
            result[element] = child.ToFieldsV1();
        }

        return result;
    }

    public static FieldSet FromFieldsV1(JsonNode? fields)
    {
        var set = new FieldSet();
        if (fields is not JsonObject map)
        {
            return set;
        }

        foreach (var (element, value) in map)
        {
            if (element == ".")
            {
                set.IsMember = true;
                continue;
            }

            var child = FromFieldsV1(value);
            if (value is JsonObject { Count: 0 })
            {
                child.IsMember = true;
            }

            set.AddChild(element, child);
        }

        return set;
    }

    // The three below answer questions about a FieldsV1 tree as FromFieldsV1 would decode it, without decoding it: the
    // root is a member when it holds ".", any other node when it is an object that holds "." or nothing.

    /// <summary>Whether the FieldsV1 tree <paramref name="fields"/> has any member.</summary>
    public static bool HasMemberInFieldsV1(JsonNode? fields) => HasMemberInFieldsV1(fields, root: true);

    /// <summary>Whether the FieldsV1 tree <paramref name="fields"/> has a member of this set.</summary>
    public bool OverlapsFieldsV1(JsonNode? fields) => Overlaps(fields, root: true);

    /// <summary>Whether every member of this set is a member of the FieldsV1 tree <paramref name="fields"/>.</summary>
    public bool IsSubsetOfFieldsV1(JsonNode? fields) => IsSubsetOf(fields, root: true);

    private static bool IsMemberNode(JsonNode? fields, bool root) =>
        fields is JsonObject map && (map.ContainsKey(".") || (!root && map.Count == 0));

    private static bool HasMemberInFieldsV1(JsonNode? fields, bool root)
    {
        if (fields is not JsonObject map)
        {
            return false;
        }

        if (IsMemberNode(map, root))
        {
            return true;
        }

        foreach (var (_, child) in map)
        {
            if (HasMemberInFieldsV1(child, root: false))
            {
                return true;
            }
        }

        return false;
    }

    private bool Overlaps(JsonNode? fields, bool root)
    {
        if (IsMember && IsMemberNode(fields, root))
        {
            return true;
        }

        if (children is null || fields is not JsonObject map)
        {
            return false;
        }

        foreach (var (element, child) in children)
        {
            if (map.TryGetPropertyValue(element, out var theirs) && child.Overlaps(theirs, root: false))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsSubsetOf(JsonNode? fields, bool root)
    {
        if (IsMember && !IsMemberNode(fields, root))
        {
            return false;
        }

        if (children is null)
        {
            return true;
        }

        foreach (var (element, child) in children)
        {
            if (child.IsEmpty)
            {
                continue;
            }

            if (fields is not JsonObject map || !map.TryGetPropertyValue(element, out var theirs) || !child.IsSubsetOf(theirs, root: false))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One path element as structured-merge-diff prints it: <c>.name</c>, <c>[name="x"]</c>, <c>[="x"]</c>, <c>[0]</c>.</summary>
    private static string Describe(string element)
    {
        var body = element.Length > 2 ? element[2..] : "";
        switch (element[..Math.Min(2, element.Length)])
        {
            case "f:":
                return "." + body;
            case "v:":
                return "[=" + body + "]";
            case "i:":
                return "[" + body + "]";
            case "k:" when JsonNode.Parse(body) is JsonObject key:
                var builder = new StringBuilder("[");
                foreach (var (name, value) in key)
                {
                    builder.Append(builder.Length > 1 ? "," : "").Append(name).Append('=').Append(value?.ToJsonString() ?? "null");
                }

                return builder.Append(']').ToString();
            default:
                return element;
        }
    }

    private static int CompareElements(string x, string y)
    {
        var byKind = Rank(x).CompareTo(Rank(y));
        return byKind != 0 ? byKind : string.CompareOrdinal(x, y);
    }

    private static int Rank(string element) => element.Length < 2 || element[1] != ':' ? 4 : element[0] switch
    {
        'f' => 0,
        'k' => 1,
        'v' => 2,
        'i' => 3,
        _ => 4,
    };
}
