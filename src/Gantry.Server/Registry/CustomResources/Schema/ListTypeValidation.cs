using System.Globalization;
using System.Text.Json.Nodes;
using Gantry.Core.Validation;

namespace Gantry.Server.Registry.CustomResources.Schema;

/// <summary>
/// The uniqueness of <c>x-kubernetes-list-type: set</c> items and <c>map</c> keys
/// (<c>pkg/apiserver/schema/listtype/validation.go</c>): each repeat is a <c>Duplicate value</c> at its index.
/// </summary>
internal static class ListTypeValidation
{
    private const string UnspecifiedKey = "u";

    public static void Validate(FieldPath path, StructuralSchema s, JsonObject obj, List<FieldError> errors)
    {
        if (s.AdditionalProperties?.Schema is { } additional)
        {
            foreach (var (key, value) in obj)
            {
                ValidateValue(path.Key(key), additional, value, errors);
            }
        }

        foreach (var (key, value) in obj)
        {
            if (s.Properties.TryGetValue(key, out var property))
            {
                ValidateValue(path.Child(key), property, value, errors);
            }
        }
    }

    private static void ValidateValue(FieldPath path, StructuralSchema s, JsonNode? value, List<FieldError> errors)
    {
        switch (value)
        {
            case JsonArray array:
                ValidateArray(path, s, array, errors);
                break;
            case JsonObject map:
                Validate(path, s, map, errors);
                break;
        }
    }

    private static void ValidateArray(FieldPath path, StructuralSchema s, JsonArray array, List<FieldError> errors)
    {
        switch (s.ListType)
        {
            case "set":
                foreach (var i in NonUnique(array.Select(KeyOf).ToList()))
                {
                    errors.Add(FieldErrors.Duplicate(path.Index(i), JsonValues.ToBadValue(array[i])));
                }

                break;
            case "map":
                ValidateMap(path, s, array, errors);
                break;
        }

        if (s.Items is { } items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                ValidateValue(path.Index(i), items, array[i], errors);
            }
        }
    }

    private static void ValidateMap(FieldPath path, StructuralSchema s, JsonArray array, List<FieldError> errors)
    {
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not (null or JsonObject))
            {
                errors.Add(FieldErrors.Invalid(path.Index(i), JsonValues.ToBadValue(array[i]), "must be an object for an array of list-type map"));
                return;
            }
        }

        if (array.Count <= 1)
        {
            return;
        }

        // Each item's key: the values of the key fields it has; a null item has none.
        var keys = array.Select(item =>
        {
            var key = new JsonObject();
            foreach (var field in s.ListMapKeys)
            {
                if (item is JsonObject map && map.TryGetPropertyValue(field, out var value))
                {
                    key[field] = value?.DeepClone();
                }
            }

            return key;
        }).ToList();

        // With one key field kube compares the bare values, an absent key being its own value.
        var compared = s.ListMapKeys.Count == 1
            ? keys.Select(k => k.TryGetPropertyValue(s.ListMapKeys[0], out var v) ? KeyOf(v) : UnspecifiedKey).ToList()
            : keys.Select(k => KeyOf(k)).ToList();
        foreach (var i in NonUnique(compared))
        {
            errors.Add(FieldErrors.Duplicate(path.Index(i), new GoValue(JsonValues.Marshal(keys[i]))));
        }
    }

    /// <summary>The index of each value's second appearance, as kube's validateListSet reports.</summary>
    private static List<int> NonUnique(List<string> keys)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var indices = new List<int>();
        for (var i = 0; i < keys.Count; i++)
        {
            seen[keys[i]] = seen.TryGetValue(keys[i], out var times) ? times + 1 : 1;
            if (times == 1)
            {
                indices.Add(i);
            }
        }

        return indices;
    }

    /// <summary>Scalars compare as Go interface values (an int64 1 is not a float64 1), compound values by their JSON.</summary>
    private static string KeyOf(JsonNode? value) => JsonValues.KindOf(value) switch
    {
        JsonKind.Null => "n",
        JsonKind.Boolean => JsonValues.GetBoolean(value!) ? "b:true" : "b:false",
        JsonKind.String => "s:" + JsonValues.GetString(value!),
        JsonKind.Integer => "i:" + (JsonValues.TryGetInteger(value!, out var l) ? l : 0).ToString(CultureInfo.InvariantCulture),
        JsonKind.Float => "f:" + JsonValues.GetDouble(value!).ToString("R", CultureInfo.InvariantCulture),
        _ => "c:" + JsonValues.Marshal(value),
    };
}
