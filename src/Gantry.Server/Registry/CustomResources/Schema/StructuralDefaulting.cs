using System.Text.Json.Nodes;

namespace Gantry.Server.Registry.CustomResources.Schema;

/// <summary>
/// Kube's defaulting of custom resources (<c>pkg/apiserver/schema/defaulting/algorithm.go</c> and
/// <c>prunenulls.go</c>). On a write kube decodes (prunes, then drops non-nullable nulls that have no default), then
/// defaults, then validates.
/// </summary>
public static class StructuralDefaulting
{
    /// <summary>
    /// Sets, in place, the default of every property absent from an object (or null where the schema is not nullable),
    /// at any depth: in properties, array items and additionalProperties values. Each default set is a fresh copy.
    /// </summary>
    public static void ApplyDefaults(JsonNode? obj, StructuralSchema? schema)
    {
        if (schema is null)
        {
            return;
        }

        switch (obj)
        {
            case JsonObject map:
                foreach (var (key, property) in schema.Properties)
                {
                    if (property.Default is null)
                    {
                        continue;
                    }

                    if (!map.TryGetPropertyValue(key, out var value) || IsNonNullableNull(value, property))
                    {
                        map[key] = property.Default.DeepClone();
                    }
                }

                foreach (var key in map.Select(p => p.Key).ToList())
                {
                    if (schema.Properties.TryGetValue(key, out var property))
                    {
                        ApplyDefaults(map[key], property);
                    }
                    else if (schema.AdditionalProperties is { } additional)
                    {
                        if (IsNonNullableNull(map[key], additional.Schema))
                        {
                            map[key] = additional.Schema!.Default?.DeepClone();
                        }

                        ApplyDefaults(map[key], additional.Schema);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (IsNonNullableNull(array[i], schema.Items))
                    {
                        array[i] = schema.Items!.Default?.DeepClone();
                    }

                    ApplyDefaults(array[i], schema.Items);
                }

                break;
        }
    }

    /// <summary>
    /// Removes, in place, the null values of object fields whose schema is neither nullable nor defaulted, as kube's
    /// decoder does after pruning (<c>PruneNonNullableNullsWithoutDefaults</c>); the defaulted ones are left for
    /// <see cref="ApplyDefaults"/>.
    /// </summary>
    public static void DropNonNullableNulls(JsonNode? obj, StructuralSchema? schema)
    {
        switch (obj)
        {
            case JsonObject map:
                foreach (var (key, value) in map.ToList())
                {
                    var field = SchemaForField(key, schema);
                    if (value is null && field is { Nullable: false, Default: null })
                    {
                        map.Remove(key);
                    }
                    else
                    {
                        DropNonNullableNulls(value, field);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    DropNonNullableNulls(item, schema?.Items);
                }

                break;
        }
    }

    private static bool IsNonNullableNull(JsonNode? value, StructuralSchema? schema) => value is null && schema is { Nullable: false };

    private static StructuralSchema? SchemaForField(string key, StructuralSchema? schema) =>
        schema is null ? null
        : schema.Properties.TryGetValue(key, out var property) ? property
        : schema.AdditionalProperties?.Schema;
}
