using System.Text.Json.Nodes;

namespace Gantry.Server.Marathon;

/// <summary>
/// Marathon's groups, derived from the app ids: <c>/shop/web</c> is an app of the group <c>/shop</c>, which is a group of
/// the root <c>/</c>. A group exists while an app is under it; the root always does. Shown as 1.10's GroupInfo: its
/// apps and its groups (when embedded, else empty), no pods, no dependencies, the newest version of its apps, and
/// enforceRole false (what a group has unless it is given one).
/// </summary>
public static class AppGroups
{
    public const string Root = "/";

    /// <summary>Whether the app is under the group, at any depth.</summary>
    public static bool Contains(string groupId, string appId)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        ArgumentNullException.ThrowIfNull(appId);
        return groupId == Root || appId.StartsWith(groupId + "/", StringComparison.Ordinal);
    }

    public static MarathonException Unknown(string groupId) => MarathonException.WithMessage(404, $"Group '{groupId}' does not exist");

    /// <summary>
    /// The group as Marathon shows it, from <paramref name="apps"/> (each as Marathon shows it, with its <c>id</c> and
    /// <c>version</c>); null when the group does not exist.
    /// </summary>
    public static JsonObject? Group(string groupId, IReadOnlyList<JsonObject> apps, bool embedGroups, bool embedApps)
    {
        ArgumentNullException.ThrowIfNull(apps);
        var under = apps.Where(a => Contains(groupId, IdOf(a))).ToList();
        if (under.Count == 0 && groupId != Root)
        {
            return null;
        }

        var prefix = groupId == Root ? Root : groupId + "/";
        var direct = under.Where(a => !IdOf(a)[prefix.Length..].Contains('/', StringComparison.Ordinal)).OrderBy(IdOf, StringComparer.Ordinal);
        var subgroups = under.Select(IdOf).Where(id => id[prefix.Length..].Contains('/', StringComparison.Ordinal))
            .Select(id => prefix + id[prefix.Length..].Split('/')[0]).Distinct().Order(StringComparer.Ordinal);
        var group = new JsonObject
        {
            ["id"] = groupId,
            ["apps"] = new JsonArray([.. embedApps ? direct.Select(a => (JsonNode?)a.DeepClone()) : []]),
            ["groups"] = new JsonArray([.. embedGroups ? subgroups.Select(g => (JsonNode?)Group(g, under, embedGroups, embedApps)) : []]),
            ["pods"] = new JsonArray(),
            ["dependencies"] = new JsonArray(),
        };
        // An empty root has no version to show: Marathon's root answer before any change has none either.
        if (under.Count > 0)
        {
            group["version"] = under.Select(a => a["version"]!.GetValue<string>()).Max(StringComparer.Ordinal);
        }

        group["enforceRole"] = false;
        return group;
    }

    private static string IdOf(JsonObject app) => app["id"]!.GetValue<string>();
}
