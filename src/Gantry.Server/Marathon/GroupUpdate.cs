using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Server.Marathon;

/// <summary>
/// What a group update (<c>POST /v2/groups</c>, <c>PUT /v2/groups/{id}</c>) does to the apps, as Marathon's group
/// conversion applies one to the group it names: its <c>apps</c>, when given, become the group's own apps (each a whole
/// definition; an app of the group not given is removed); its <c>groups</c>, when given, become the group's subgroups,
/// each updated the same way (a subgroup not given goes with every app under it); what is not given is kept. An id is
/// relative to the group that lists it, or absolute, and names a direct child of that group.
/// </summary>
public static class GroupUpdate
{
    /// <summary>
    /// The absolute id that <paramref name="id"/> names within <paramref name="groupId"/>, as Marathon's canonicalPath
    /// reads it: <c>.</c> is the group itself, <c>..</c> its parent (never above the root).
    /// </summary>
    public static string Resolve(string id, string groupId)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(groupId);
        var segments = new List<string>();
        foreach (var segment in (id.StartsWith('/') ? id : groupId + "/" + id).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }
            }
            else if (segment != ".")
            {
                segments.Add(segment);
            }
        }

        return "/" + string.Join('/', segments);
    }

    public static string Parent(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var at = id.LastIndexOf('/');
        return at <= 0 ? AppGroups.Root : id[..at];
    }

    /// <summary>
    /// The apps the update puts (by id, as given) and those of <paramref name="existing"/> it removes; 422 in Marathon's
    /// words for an entry without an id or not a child of the group that lists it.
    /// </summary>
    public static GroupChange Of(string groupId, JsonObject update, IReadOnlyCollection<string> existing)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(existing);
        var apps = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var removed = new HashSet<string>(StringComparer.Ordinal);
        var errors = new List<(string Path, string Error)>();
        Apply(groupId, update, "", existing, apps, removed, errors);
        if (errors.Count > 0)
        {
            throw MarathonException.Invalid(errors);
        }

        removed.ExceptWith(apps.Keys);
        return new GroupChange(apps, [.. removed.Order(StringComparer.Ordinal)]);
    }

    private static void Apply(
        string groupId, JsonObject update, string path, IReadOnlyCollection<string> existing,
        Dictionary<string, JsonObject> apps, HashSet<string> removed, List<(string, string)> errors)
    {
        if (Entries(update, "apps", path, errors) is { } appEntries)
        {
            foreach (var (at, appId, app) in Children(groupId, appEntries, $"{path}/apps", errors))
            {
                if (!apps.TryAdd(appId, app))
                {
                    errors.Add(($"{at}/id", $"The app {appId} is given more than once"));
                }
            }

            removed.UnionWith(existing.Where(e => Parent(e) == groupId));
        }

        if (Entries(update, "groups", path, errors) is not { } groupEntries)
        {
            return;
        }

        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (at, subgroupId, subgroup) in Children(groupId, groupEntries, $"{path}/groups", errors))
        {
            listed.Add(subgroupId);
            Apply(subgroupId, subgroup, at, existing, apps, removed, errors);
        }

        removed.UnionWith(existing.Where(e => Parent(e) != groupId && AppGroups.Contains(groupId, e) && !listed.Contains(SubgroupOf(groupId, e))));
    }

    /// <summary>The update's list <paramref name="field"/>; null when it is not given, or (refused) not a list.</summary>
    private static JsonArray? Entries(JsonObject update, string field, string path, List<(string, string)> errors)
    {
        if (update[field] is null or JsonArray)
        {
            return update[field] as JsonArray;
        }

        errors.Add(($"{path}/{field}", "error.expected.jsarray"));
        return null;
    }

    /// <summary>The list's entries that are children of the group, each with its path in the body and its absolute id.</summary>
    private static List<(string At, string Id, JsonObject Entry)> Children(string groupId, JsonArray entries, string path, List<(string, string)> errors)
    {
        var children = new List<(string, string, JsonObject)>();
        for (var i = 0; i < entries.Count; i++)
        {
            var at = $"{path}({i})";
            if (entries[i] is not JsonObject entry || entry["id"] is not JsonValue id || id.GetValueKind() != JsonValueKind.String)
            {
                errors.Add(($"{at}/id", "error.path.missing"));
                continue;
            }

            var absolute = Resolve(id.GetValue<string>(), groupId);
            if (Parent(absolute) != groupId)
            {
                errors.Add(($"{at}/id", $"Identifier is not child of '{groupId}'"));
                continue;
            }

            children.Add((at, absolute, entry));
        }

        return children;
    }

    /// <summary>The direct subgroup of <paramref name="groupId"/> that holds <paramref name="appId"/>.</summary>
    private static string SubgroupOf(string groupId, string appId)
    {
        var prefix = groupId == AppGroups.Root ? AppGroups.Root : groupId + "/";
        return prefix + appId[prefix.Length..].Split('/')[0];
    }
}

/// <summary>The apps a group update puts, by their absolute ids, and the ids of the apps it removes.</summary>
public sealed record GroupChange(IReadOnlyDictionary<string, JsonObject> Apps, IReadOnlyList<string> Removed);
