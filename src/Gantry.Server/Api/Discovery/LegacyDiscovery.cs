using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Resources;

namespace Gantry.Server.Api.Discovery;

/// <summary>
/// The discovery documents every kubectl understands: <c>APIVersions</c> at <c>/api</c>, <c>APIGroupList</c>
/// at <c>/apis</c>, <c>APIGroup</c> at <c>/apis/{group}</c> and one <c>APIResourceList</c> per group version.
/// All are <c>application/json</c>.
/// </summary>
public static class LegacyDiscovery
{
    private static readonly byte[] GroupListJson = JsonSerializer.SerializeToUtf8Bytes(BuildGroupList());

    private static readonly Dictionary<string, byte[]> GroupJson = DiscoveredTypes.GroupVersions
        .Where(gv => gv.Group.Length > 0)
        .Select(gv => gv.Group)
        .Distinct()
        .ToDictionary(g => g, g => JsonSerializer.SerializeToUtf8Bytes(BuildGroup(g)), StringComparer.Ordinal);

    private static readonly Dictionary<(string Group, string Version), byte[]> ResourceListJson = DiscoveredTypes.GroupVersions
        .ToDictionary(gv => gv, gv => JsonSerializer.SerializeToUtf8Bytes(BuildResourceList(gv.Group, gv.Version)));

    /// <summary>
    /// <c>GET /api</c>. <paramref name="serverAddress"/> (host:port) is where clients reach the server;
    /// it is announced for every client network.
    /// </summary>
    public static byte[] ApiVersions(string serverAddress)
    {
        ArgumentNullException.ThrowIfNull(serverAddress);
        var versions = new JsonObject
        {
            ["kind"] = "APIVersions",
            ["versions"] = new JsonArray(CoreVersions().Select(v => (JsonNode?)v).ToArray()),
            ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject
            {
                ["clientCIDR"] = "0.0.0.0/0",
                ["serverAddress"] = serverAddress,
            }),
        };
        return JsonSerializer.SerializeToUtf8Bytes(versions);
    }

    /// <summary><c>GET /apis</c>: every named group (never 404, even without groups: kubectl needs it).</summary>
    public static byte[] ApiGroupList() => GroupListJson;

    /// <summary><c>GET /apis/{group}</c>, or null when the group is not served.</summary>
    public static byte[]? ApiGroup(string group) => GroupJson.GetValueOrDefault(group);

    /// <summary>
    /// <c>GET /api/v1</c> (group "") or <c>GET /apis/{group}/{version}</c>, or null when the group version is
    /// not served.
    /// </summary>
    public static byte[]? ApiResourceList(string group, string version) =>
        ResourceListJson.GetValueOrDefault((group, version));

    private static IEnumerable<string> CoreVersions() =>
        DiscoveredTypes.GroupVersions.Where(gv => gv.Group.Length == 0).Select(gv => gv.Version);

    private static JsonObject BuildGroupList() => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(DiscoveredTypes.GroupVersions
            .Where(gv => gv.Group.Length > 0)
            .Select(gv => gv.Group)
            .Distinct()
            .Select(g => (JsonNode?)GroupBody(g))
            .ToArray()),
    };

    private static JsonObject BuildGroup(string group)
    {
        var body = new JsonObject { ["kind"] = "APIGroup", ["apiVersion"] = "v1" };
        AddGroupFields(body, group);
        return body;
    }

    private static JsonObject GroupBody(string group)
    {
        var body = new JsonObject();
        AddGroupFields(body, group);
        return body;
    }

    private static void AddGroupFields(JsonObject target, string group)
    {
        var versions = DiscoveredTypes.GroupVersions.Where(gv => gv.Group == group).Select(gv => gv.Version).ToList();
        target["name"] = group;
        target["versions"] = new JsonArray(versions.Select(v => (JsonNode?)GroupVersionRef(group, v)).ToArray());

        // The catalog lists versions in preference order.
        target["preferredVersion"] = GroupVersionRef(group, versions[0]);
    }

    private static JsonObject GroupVersionRef(string group, string version) => new()
    {
        ["groupVersion"] = $"{group}/{version}",
        ["version"] = version,
    };

    private static JsonObject BuildResourceList(string group, string version)
    {
        var resources = new JsonArray();
        foreach (var type in DiscoveredTypes.Types.Where(t => t.Group == group && t.Version == version))
        {
            resources.Add(new JsonObject
            {
                ["name"] = type.Plural,
                ["singularName"] = type.Singular,
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = Strings(DiscoveredTypes.VerbsOf(type)),
                ["shortNames"] = Strings(type.ShortNames),
                ["categories"] = Strings(type.Categories),
            });
            foreach (var sub in type.Subresources)
            {
                var entry = new JsonObject
                {
                    ["name"] = $"{type.Plural}/{sub.Name}",
                    ["singularName"] = "",
                    ["namespaced"] = type.Namespaced,
                };

                // Only a subresource served in another group version (scale, eviction) names it.
                if (sub.Group != group || sub.Version != version)
                {
                    entry["group"] = sub.Group;
                    entry["version"] = sub.Version;
                }

                entry["kind"] = sub.Kind;
                entry["verbs"] = Strings(sub.Verbs);
                resources.Add(entry);
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    internal static JsonArray Strings(IEnumerable<string> values) =>
        new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
