using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Core.Patching;

/// <summary>JSON value equality: member order is irrelevant and numbers compare by value.</summary>
internal static class JsonEquality
{
    public static bool DeepEquals(JsonNode? a, JsonNode? b) =>
        (a is JsonObject or JsonArray && JsonText.Same(a, b)) || StructurallyEqual(a, b);

    private static bool StructurallyEqual(JsonNode? a, JsonNode? b)
    {
        switch (a, b)
        {
            case (null, null):
                return true;
            case (null, _) or (_, null):
                return false;
            case (JsonObject x, JsonObject y):
                if (x.Count != y.Count)
                {
                    return false;
                }

                foreach (var (key, value) in x)
                {
                    if (!y.TryGetPropertyValue(key, out var other) || !StructurallyEqual(value, other))
                    {
                        return false;
                    }
                }

                return true;
            case (JsonArray x, JsonArray y):
                if (x.Count != y.Count)
                {
                    return false;
                }

                for (var i = 0; i < x.Count; i++)
                {
                    if (!StructurallyEqual(x[i], y[i]))
                    {
                        return false;
                    }
                }

                return true;
            case (JsonValue x, JsonValue y):
                return ValueEquals(x, y);
            default:
                return false;
        }
    }

    private static bool ValueEquals(JsonValue x, JsonValue y)
    {
        var kind = x.GetValueKind();
        if (kind != y.GetValueKind())
        {
            return false;
        }

        return kind switch
        {
            JsonValueKind.String => StringEquals(x, y),
            JsonValueKind.Number => NumberEquals(x.ToJsonString(), y.ToJsonString()),
            _ => true,
        };
    }

    /// <summary>
    /// Strings compared where they were parsed when both sides were: most values compared come from stored objects,
    /// and reading each out as a string only to compare it was much of a write's garbage.
    /// </summary>
    private static bool StringEquals(JsonValue x, JsonValue y)
    {
        var xParsed = x.TryGetValue<JsonElement>(out var xElement);
        var yParsed = y.TryGetValue<JsonElement>(out var yElement);
        return (xParsed, yParsed) switch
        {
            (true, true) => JsonElement.DeepEquals(xElement, yElement),
            (true, false) => xElement.ValueEquals(y.GetValue<string>()),
            (false, true) => yElement.ValueEquals(x.GetValue<string>()),
            _ => x.GetValue<string>() == y.GetValue<string>(),
        };
    }

    private static bool NumberEquals(string x, string y)
    {
        if (x == y)
        {
            return true;
        }

        const NumberStyles Style = NumberStyles.Float;
        if (decimal.TryParse(x, Style, CultureInfo.InvariantCulture, out var dx)
            && decimal.TryParse(y, Style, CultureInfo.InvariantCulture, out var dy))
        {
            return dx == dy;
        }

        return double.Parse(x, Style, CultureInfo.InvariantCulture) == double.Parse(y, Style, CultureInfo.InvariantCulture);
    }
}
