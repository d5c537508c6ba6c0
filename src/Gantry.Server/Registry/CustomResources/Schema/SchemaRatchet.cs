using System.Globalization;
using System.Text.Json.Nodes;

namespace Gantry.Server.Registry.CustomResources.Schema;

/// <summary>
/// kube's CRD validation ratcheting (KEP-4008: beta and on by default from 1.30, GA in 1.33) for the schema's own
/// errors: on an update, an error is dropped when the value it is about is unchanged, or the deepest value above it that
/// the old object still holds at the same place (an object's member present in both, a list item by index, a map list's
/// item by its keys, all present and scalar; never a set's or an atomic list's item) is, or the whole object is. So an object that a tightened schema would now refuse can
/// still have its other fields changed, as its controllers need.
/// </summary>
internal static class SchemaRatchet
{
    /// <param name="field">The error's path as the schema validation names it (<c>spec.items[0].name</c>, <c>spec.map.key</c>).</param>
    public static bool Ratcheted(string field, JsonObject obj, JsonObject old, StructuralSchema schema)
    {
        JsonNode? value = obj;
        JsonNode? oldValue = old;
        StructuralSchema? node = schema;
        foreach (var segment in Segments(field))
        {
            JsonNode? next, oldNext;
            if (segment is string name)
            {
                if (value is not JsonObject members || oldValue is not JsonObject oldMembers
                    || !members.TryGetPropertyValue(name, out next) || !oldMembers.TryGetPropertyValue(name, out oldNext))
                {
                    return false;
                }

                node = node is null ? null : CelValueOf.PropertySchema(node, name);
            }
            else
            {
                var index = (int)segment;
                if (value is not JsonArray items || oldValue is not JsonArray oldItems || index >= items.Count)
                {
                    return false;
                }

                next = items[index];
                oldNext = node?.ListType switch
                {
                    "map" => MapListItems.Counterpart(oldItems, next, node.ListMapKeys),
                    "set" or "atomic" => null,
                    _ => index < oldItems.Count ? oldItems[index] : null,
                };
                if (oldNext is null)
                {
                    return false;
                }

                node = node?.Items;
            }

            if (Unchanged(next, oldNext, node))
            {
                return true;
            }

            (value, oldValue) = (next, oldNext);
        }

        return false;
    }

    /// <summary>
    /// Whether a value is unchanged as kube's ratcheting validator judges it (<c>CachedDeepEqual</c>): every old member or
    /// item matched by a new one it can tell apart and unchanged too. So a value holding members no schema describes
    /// (preserved unknown fields), or items of a set or an atomic list, never counts as unchanged unless empty.
    /// </summary>
    public static bool Unchanged(JsonNode? value, JsonNode? old, StructuralSchema? schema)
    {
        switch (value, old)
        {
            case (null, null):
                return true;
            case (JsonObject members, JsonObject oldMembers):
                return members.Count == oldMembers.Count && oldMembers.All(m =>
                    members.TryGetPropertyValue(m.Key, out var member) && schema is not null
                    && CelValueOf.PropertySchema(schema, m.Key) is { } memberSchema && Unchanged(member, m.Value, memberSchema));
            case (JsonArray items, JsonArray oldItems):
                if (items.Count != oldItems.Count)
                {
                    return false;
                }

                return items.Count == 0 || (schema?.ListType switch
                {
                    "set" or "atomic" => false,
                    "map" => items.All(item => MapListItems.Counterpart(oldItems, item, schema.ListMapKeys) is { } oldItem && Unchanged(item, oldItem, schema.Items)),
                    _ => items.Select((item, i) => Unchanged(item, oldItems[i], schema?.Items)).All(same => same),
                });
            default:
                return JsonNode.DeepEquals(value, old);
        }
    }

    /// <summary>A path's member names and list indices, in order; none for an error about the whole object.</summary>
    private static IEnumerable<object> Segments(string field)
    {
        if (field is "" or "<nil>")
        {
            yield break;
        }

        foreach (var part in field.Split('.'))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            yield return bracket < 0 ? part : part[..bracket];
            while (bracket >= 0)
            {
                var close = part.IndexOf(']', bracket);
                if (close < 0 || !int.TryParse(part.AsSpan(bracket + 1, close - bracket - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    yield break;
                }

                yield return index;
                bracket = part.IndexOf('[', close);
            }
        }
    }
}
