using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Resources;

namespace Gantry.Server.Api.Discovery;

/// <summary>
/// Aggregated discovery (<c>APIGroupDiscoveryList</c>): the whole resource catalog in one answer, for
/// <c>/api</c> (the core group) and <c>/apis</c> (the named groups). The v2 and v2beta1 bodies differ only in
/// <c>apiVersion</c>. Send them with <see cref="DiscoveryNegotiation.ContentTypeOf"/> of the same format.
/// </summary>
public static class AggregatedDiscovery
{
    /// <summary>The documents of one catalog, serialized once.</summary>
    internal sealed class Documents(DiscoveryCatalog catalog)
    {
        public Dictionary<(bool Core, DiscoveryFormat Format), byte[]> ByRoot { get; } = new[]
            {
                (true, DiscoveryFormat.AggregatedV2), (true, DiscoveryFormat.AggregatedV2Beta1),
                (false, DiscoveryFormat.AggregatedV2), (false, DiscoveryFormat.AggregatedV2Beta1),
            }
            .ToDictionary(k => k, k => JsonSerializer.SerializeToUtf8Bytes(Build(catalog, k.Item1, k.Item2)));
    }

    /// <summary>The aggregated document for <c>/api</c>.</summary>
    public static byte[] ForApi(DiscoveryFormat format) => DiscoveredTypes.BuiltIn.Aggregated.ByRoot[(true, CheckAggregated(format))];

    /// <summary>The aggregated document for <c>/apis</c>.</summary>
    public static byte[] ForApis(DiscoveryFormat format, DiscoveryCatalog? catalog = null) =>
        (catalog ?? DiscoveredTypes.BuiltIn).Aggregated.ByRoot[(false, CheckAggregated(format))];

    private static DiscoveryFormat CheckAggregated(DiscoveryFormat format) =>
        format is DiscoveryFormat.AggregatedV2 or DiscoveryFormat.AggregatedV2Beta1
            ? format
            : throw new ArgumentOutOfRangeException(nameof(format), format, "Not an aggregated discovery format.");

    private static JsonObject Build(DiscoveryCatalog catalog, bool core, DiscoveryFormat format)
    {
        var groups = catalog.GroupVersions
            .Where(gv => (gv.Group.Length == 0) == core)
            .Select(gv => gv.Group)
            .Distinct()
            .Select(group => (JsonNode?)new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = group },
                ["versions"] = new JsonArray(catalog.GroupVersions
                    .Where(gv => gv.Group == group)
                    .Select(gv => (JsonNode?)Version(catalog, gv.Group, gv.Version))
                    .ToArray()),
            })
            .ToArray();

        return new JsonObject
        {
            ["kind"] = "APIGroupDiscoveryList",
            ["apiVersion"] = format == DiscoveryFormat.AggregatedV2 ? "apidiscovery.k8s.io/v2" : "apidiscovery.k8s.io/v2beta1",
            ["metadata"] = new JsonObject(),
            ["items"] = new JsonArray(groups),
        };
    }

    private static JsonObject Version(DiscoveryCatalog catalog, string group, string version) => new()
    {
        ["version"] = version,
        ["resources"] = new JsonArray(catalog.Types
            .Where(t => t.Group == group && t.Version == version)
            .Select(t => (JsonNode?)Resource(t))
            .ToArray()),
        ["freshness"] = "Current",
    };

    private static JsonObject Resource(ResourceType type) => new()
    {
        ["resource"] = type.Plural,

        // Without responseKind kubectl skips the resource; without scope it treats it as cluster-scoped.
        ["responseKind"] = Kind(type.Group, type.Version, type.Kind),
        ["scope"] = type.Namespaced ? "Namespaced" : "Cluster",
        ["singularResource"] = type.Singular,
        ["verbs"] = LegacyDiscovery.Strings(DiscoveredTypes.VerbsOf(type)),
        ["shortNames"] = LegacyDiscovery.Strings(type.ShortNames),
        ["categories"] = LegacyDiscovery.Strings(type.Categories),
        ["subresources"] = new JsonArray(type.Subresources
            .Select(s => (JsonNode?)new JsonObject
            {
                ["subresource"] = s.Name,
                ["responseKind"] = Kind(s.Group, s.Version, s.Kind),
                ["verbs"] = LegacyDiscovery.Strings(s.Verbs),
            })
            .ToArray()),
    };

    private static JsonObject Kind(string group, string version, string kind) => new()
    {
        ["group"] = group,
        ["version"] = version,
        ["kind"] = kind,
    };
}
