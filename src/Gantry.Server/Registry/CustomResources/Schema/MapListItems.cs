using System.Text.Json.Nodes;

namespace Gantry.Server.Registry.CustomResources.Schema;

/// <summary>
/// The items of a list of <c>x-kubernetes-list-type: map</c> told apart as kube's <c>MapList</c> tells them: by their
/// keys, each present and a scalar; an item without them has no counterpart.
/// </summary>
internal static class MapListItems
{
    /// <summary>The item of <paramref name="items"/> with the same keys as <paramref name="item"/>; null when there is none.</summary>
    public static JsonNode? Counterpart(JsonArray items, JsonNode? item, IReadOnlyList<string> keys) =>
        item is JsonObject obj && keys.All(k => obj[k] is JsonValue)
            ? items.FirstOrDefault(o => o is JsonObject candidate && keys.All(k => candidate[k] is JsonValue key && JsonNode.DeepEquals(key, obj[k])))
            : null;
}
