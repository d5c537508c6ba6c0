using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Core.Patching;

/// <summary>
/// Kubernetes strategic merge patch (<c>application/strategic-merge-patch+json</c>), as
/// apimachinery's <c>strategicpatch.StrategicMergePatch</c> applies it on the server.
/// </summary>
public static class StrategicMergePatch
{
    private const string PatchDirective = "$patch";
    private const string RetainKeysDirective = "$retainKeys";
    private const string SetElementOrderPrefix = "$setElementOrder/";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";

    /// <summary>
    /// Applies <paramref name="patch"/> to a copy of <paramref name="target"/>. Maps merge
    /// recursively and <c>null</c> deletes a field. A list is replaced unless
    /// <paramref name="schema"/> marks it <see cref="PatchSchema.MergeList"/>: then object elements
    /// merge with the target element of the same <see cref="PatchSchema.PatchMergeKey"/> and
    /// scalars are unioned, new elements ordered as apimachinery orders them (before the
    /// server-only ones unless <c>$setElementOrder</c> says otherwise). Directives:
    /// <c>$patch: replace|delete|merge</c> in a map or as a list element,
    /// <c>$setElementOrder/&lt;list&gt;</c>, <c>$deleteFromPrimitiveList/&lt;list&gt;</c> and
    /// <c>$retainKeys</c>; none of them appears in the result.
    /// </summary>
    public static JsonNode Apply(JsonNode target, JsonNode patch, PatchSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (target is not JsonObject targetObject)
        {
            throw new PatchException("strategic merge patch target must be a JSON object");
        }

        if (patch is not JsonObject patchObject)
        {
            throw new PatchException("strategic merge patch must be a JSON object");
        }

        return MergeObject((JsonObject)targetObject.DeepClone(), patchObject, schema) ?? [];
    }

    /// <summary>Merges <paramref name="patch"/> into <paramref name="original"/>, which it owns; null when the map is deleted.</summary>
    private static JsonObject? MergeObject(JsonObject original, JsonObject patch, PatchSchema schema)
    {
        switch (Directive(patch))
        {
            case "delete":
                return null;
            case "replace":
                // Merging into nothing keeps the patch's own content minus its directives.
                original = [];
                break;
        }

        RetainKeys(original, patch);
        foreach (var (key, value) in patch)
        {
            if (key is PatchDirective or RetainKeysDirective || key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                DeleteFromPrimitiveList(original, key[DeleteFromPrimitiveListPrefix.Length..], value);
                continue;
            }

            if (value is null)
            {
                original.Remove(key);
                continue;
            }

            original.TryGetPropertyValue(key, out var current);
            var merged = MergeValue(current, value, schema.Field(key), ElementOrder(patch, key));
            if (merged is null)
            {
                original.Remove(key);
            }
            else if (!ReferenceEquals(merged, current))
            {
                original[key] = merged;
            }
        }

        ReorderUnpatchedLists(original, patch, schema);
        return original;
    }

    private static JsonNode? MergeValue(JsonNode? current, JsonNode patch, PatchSchema schema, JsonArray? order) => patch switch
    {
        JsonObject patchObject => MergeObject(current as JsonObject ?? [], patchObject, schema),
        JsonArray patchList when schema.MergeList => MergeList(current as JsonArray, patchList, schema, order),
        JsonArray patchList => ReplaceList(patchList, schema),
        _ => patch.DeepClone(),
    };

    private static JsonArray MergeList(JsonArray? current, JsonArray patch, PatchSchema schema, JsonArray? order)
    {
        var server = current?.Select(e => e?.DeepClone()).ToList() ?? [];
        return schema.PatchMergeKey is { } key
            ? MergeKeyedList(server, patch, schema, key, order)
            : MergeScalarList(server, patch, order);
    }

    private static JsonArray MergeScalarList(List<JsonNode?> server, JsonArray patch, JsonArray? order)
    {
        var merged = new List<JsonNode?>(server);
        foreach (var element in patch)
        {
            if (!merged.Any(m => JsonEquality.DeepEquals(m, element)))
            {
                merged.Add(element?.DeepClone());
            }
        }

        var patchOrder = order?.ToList() ?? patch.ToList();
        return Normalize(merged, e => e, patchOrder, server);
    }

    private static JsonArray MergeKeyedList(List<JsonNode?> server, JsonArray patch, PatchSchema schema, string key, JsonArray? order)
    {
        var serverOrder = server.Select(e => KeyOf(e, key)).ToList();
        var merged = new List<JsonNode?>(server);
        var patchElements = new List<JsonObject>();
        var replace = false;
        foreach (var element in patch)
        {
            if (element is not JsonObject patchElement)
            {
                throw new PatchException($"merging list with merge key {key}: element {element?.ToJsonString() ?? "null"} is not a map");
            }

            switch (Directive(patchElement))
            {
                case "delete":
                    var doomed = RequiredKey(patchElement, key);
                    merged.RemoveAll(e => JsonEquality.DeepEquals(KeyOf(e, key), doomed));
                    break;
                case "replace":
                    replace = true;
                    break;
                case "merge" when patchElement.Count == 1:
                    break;
                default:
                    patchElements.Add(patchElement);
                    break;
            }
        }

        if (replace)
        {
            return new JsonArray(patchElements.Select(e => (JsonNode?)MergeObject([], e, schema)).Where(e => e is not null).ToArray());
        }

        foreach (var patchElement in patchElements)
        {
            var keyValue = RequiredKey(patchElement, key);
            var index = merged.FindIndex(e => JsonEquality.DeepEquals(KeyOf(e, key), keyValue));
            if (index >= 0)
            {
                merged[index] = MergeObject((JsonObject)merged[index]!, patchElement, schema);
            }
            else
            {
                merged.Add(MergeObject([], patchElement, schema));
            }
        }

        var patchOrder = order?.Select(e => KeyOf(e, key)).ToList() ?? patchElements.Select(e => KeyOf(e, key)).ToList();
        return Normalize(merged.Where(e => e is not null).ToList(), e => KeyOf(e, key), patchOrder, serverOrder);
    }

    /// <summary>
    /// Orders a merged list as apimachinery's <c>normalizeElementOrder</c> does: elements the
    /// patch (or its <c>$setElementOrder</c>) names come in the patch's order, the others in the
    /// server's order, and the two runs interleave so that server-only elements stay ahead of
    /// the patched elements that followed them on the server.
    /// </summary>
    private static JsonArray Normalize(
        List<JsonNode?> merged,
        Func<JsonNode?, JsonNode?> identity,
        List<JsonNode?> patchOrder,
        List<JsonNode?> serverOrder)
    {
        var patched = new List<JsonNode?>();
        var serverOnly = new List<JsonNode?>();
        foreach (var element in merged)
        {
            (IndexIn(patchOrder, identity(element)) >= 0 ? patched : serverOnly).Add(element);
        }

        var left = SortBy(serverOnly, e => IndexIn(serverOrder, identity(e)));
        var right = SortBy(patched, e => IndexIn(patchOrder, identity(e)));
        var result = new JsonArray();
        int i = 0, j = 0;
        while (i < left.Count || j < right.Count)
        {
            var takeLeft = j >= right.Count
                || (i < left.Count
                    && IndexIn(serverOrder, identity(left[i])) is var li and >= 0
                    && IndexIn(serverOrder, identity(right[j])) is var ri and >= 0
                    && li < ri);
            result.Add(takeLeft ? left[i++] : right[j++]);
        }

        return result;
    }

    private static List<JsonNode?> SortBy(List<JsonNode?> elements, Func<JsonNode?, int> index) =>
        elements.Select((e, position) => (Element: e, Index: index(e), Position: position))
            .OrderBy(x => x.Index < 0 ? int.MaxValue : x.Index)
            .ThenBy(x => x.Position)
            .Select(x => x.Element)
            .ToList();

    private static int IndexIn(List<JsonNode?> order, JsonNode? identity) =>
        order.FindIndex(o => JsonEquality.DeepEquals(o, identity));

    private static JsonArray ReplaceList(JsonArray patch, PatchSchema schema)
    {
        var result = new JsonArray();
        foreach (var element in patch)
        {
            if (element is not JsonObject patchElement)
            {
                result.Add(element?.DeepClone());
            }
            else if (!(patchElement.Count == 1 && patchElement.ContainsKey(PatchDirective))
                && MergeObject([], patchElement, schema) is { } sanitized)
            {
                result.Add(sanitized);
            }
        }

        return result;
    }

    /// <summary>Applies <c>$setElementOrder</c> to lists the patch reorders without changing their content.</summary>
    private static void ReorderUnpatchedLists(JsonObject original, JsonObject patch, PatchSchema schema)
    {
        foreach (var (key, _) in patch)
        {
            if (!key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var field = key[SetElementOrderPrefix.Length..];
            var fieldSchema = schema.Field(field);
            if (!patch.ContainsKey(field) && fieldSchema.MergeList && original[field] is JsonArray list)
            {
                original[field] = MergeList(list, [], fieldSchema, ElementOrder(patch, field));
            }
        }
    }

    private static void DeleteFromPrimitiveList(JsonObject original, string field, JsonNode? values)
    {
        if (values is not JsonArray doomed)
        {
            throw new PatchException($"{DeleteFromPrimitiveListPrefix}{field} must be a list, got {values?.ToJsonString() ?? "null"}");
        }

        if (original[field] is JsonArray list)
        {
            original[field] = new JsonArray(list
                .Where(e => !doomed.Any(d => JsonEquality.DeepEquals(d, e)))
                .Select(e => e?.DeepClone())
                .ToArray());
        }
    }

    private static void RetainKeys(JsonObject original, JsonObject patch)
    {
        if (!patch.TryGetPropertyValue(RetainKeysDirective, out var retain))
        {
            return;
        }

        if (retain is not JsonArray keys || keys.Any(k => k is not JsonValue v || v.GetValueKind() != JsonValueKind.String))
        {
            throw new PatchException($"{RetainKeysDirective} must be a list of field names, got {retain?.ToJsonString() ?? "null"}");
        }

        var kept = keys.Select(k => k!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        if (patch.Any(p => p.Value is not null && !p.Key.StartsWith('$') && !kept.Contains(p.Key)))
        {
            // A patch that sets a field $retainKeys would drop contradicts itself.
            throw new PatchException("invalid patch format of retainKeys");
        }

        foreach (var key in original.Select(p => p.Key).Where(k => !kept.Contains(k)).ToList())
        {
            original.Remove(key);
        }
    }

    private static JsonArray? ElementOrder(JsonObject patch, string field) =>
        patch.TryGetPropertyValue(SetElementOrderPrefix + field, out var order)
            ? order as JsonArray ?? throw new PatchException(
                $"{SetElementOrderPrefix}{field} must be a list, got {order?.ToJsonString() ?? "null"}")
            : null;

    private static string? Directive(JsonObject map)
    {
        if (!map.TryGetPropertyValue(PatchDirective, out var directive))
        {
            return null;
        }

        var name = directive is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
        return name is "replace" or "delete" or "merge"
            ? name
            : throw new PatchException($"Unknown patch type: {directive?.ToJsonString() ?? "null"} in map: {map.ToJsonString()}");
    }

    private static JsonNode? KeyOf(JsonNode? element, string key) => element is JsonObject map ? map[key] : null;

    private static JsonNode RequiredKey(JsonObject element, string key) =>
        element[key] ?? throw new PatchException($"map: {element.ToJsonString()} does not contain declared merge key: {key}");
}
