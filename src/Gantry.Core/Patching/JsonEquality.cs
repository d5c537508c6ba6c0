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
            JsonValueKind.String => x.GetValue<string>() == y.GetValue<string>(),
            JsonValueKind.Number => NumberEquals(x.ToJsonString(), y.ToJsonString()),
            _ => true,
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
