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
    /// <summary>The documents of one catalog, serialized once.</summary>
    internal sealed class Documents(DiscoveryCatalog catalog)
    {
        public byte[] GroupList { get; } = JsonSerializer.SerializeToUtf8Bytes(BuildGroupList(catalog));

        public Dictionary<string, byte[]> Groups { get; } = catalog.GroupVersions
            .Where(gv => gv.Group.Length > 0)
            .Select(gv => gv.Group)
            .Distinct()
            .ToDictionary(g => g, g => JsonSerializer.SerializeToUtf8Bytes(BuildGroup(catalog, g)), StringComparer.Ordinal);

        public Dictionary<(string Group, string Version), byte[]> ResourceLists { get; } = catalog.GroupVersions
            .ToDictionary(gv => gv, gv => JsonSerializer.SerializeToUtf8Bytes(BuildResourceList(catalog, gv.Group, gv.Version)));
    }

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
    public static byte[] ApiGroupList(DiscoveryCatalog? catalog = null) => (catalog ?? DiscoveredTypes.BuiltIn).Legacy.GroupList;

    /// <summary><c>GET /apis/{group}</c>, or null when the group is not served.</summary>
    public static byte[]? ApiGroup(string group, DiscoveryCatalog? catalog = null) =>
        (catalog ?? DiscoveredTypes.BuiltIn).Legacy.Groups.GetValueOrDefault(group);

    /// <summary>
    /// <c>GET /api/v1</c> (group "") or <c>GET /apis/{group}/{version}</c>, or null when the group version is
    /// not served.
    /// </summary>
    public static byte[]? ApiResourceList(string group, string version, DiscoveryCatalog? catalog = null) =>
        (catalog ?? DiscoveredTypes.BuiltIn).Legacy.ResourceLists.GetValueOrDefault((group, version));

    private static IEnumerable<string> CoreVersions() =>
        DiscoveredTypes.GroupVersions.Where(gv => gv.Group.Length == 0).Select(gv => gv.Version);

    private static JsonObject BuildGroupList(DiscoveryCatalog catalog) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(catalog.GroupVersions
            .Where(gv => gv.Group.Length > 0)
            .Select(gv => gv.Group)
            .Distinct()
            .Select(g => (JsonNode?)GroupBody(catalog, g))
            .ToArray()),
    };

    private static JsonObject BuildGroup(DiscoveryCatalog catalog, string group)
    {
        var body = new JsonObject { ["kind"] = "APIGroup", ["apiVersion"] = "v1" };
        AddGroupFields(catalog, body, group);
        return body;
    }

    private static JsonObject GroupBody(DiscoveryCatalog catalog, string group)
    {
        var body = new JsonObject();
        AddGroupFields(catalog, body, group);
        return body;
    }

    private static void AddGroupFields(DiscoveryCatalog catalog, JsonObject target, string group)
    {
        var versions = catalog.GroupVersions.Where(gv => gv.Group == group).Select(gv => gv.Version).ToList();
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

    private static JsonObject BuildResourceList(DiscoveryCatalog catalog, string group, string version)
    {
        var resources = new JsonArray();
        foreach (var type in catalog.Types.Where(t => t.Group == group && t.Version == version))
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
