using System.Globalization;
using System.Text.Json;
using Xunit.Sdk;

namespace Gantry.E2E.Harness;

/// <summary>Reads values out of kubectl's <c>-o json</c> by a short path such as <c>spec.template.spec.containers[0].image</c>.</summary>
public static class Json
{
    /// <summary>The element at <paramref name="path"/>, or null when any step is missing.</summary>
    public static JsonElement? Find(JsonElement root, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var current = root;
        foreach (var step in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = step;
            var indexes = new List<int>();
            var bracket = step.IndexOf('[', StringComparison.Ordinal);
            if (bracket >= 0)
            {
                name = step[..bracket];
                foreach (var part in step[bracket..].Split('[', StringSplitOptions.RemoveEmptyEntries))
                {
                    indexes.Add(int.Parse(part.TrimEnd(']'), CultureInfo.InvariantCulture));
                }
            }

            if (name.Length > 0)
            {
                if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out var child))
                {
                    return null;
                }

                current = child;
            }

            foreach (var index in indexes)
            {
                if (current.ValueKind != JsonValueKind.Array || index >= current.GetArrayLength())
                {
                    return null;
                }

                current = current[index];
            }
        }

        return current;
    }

    /// <summary>The element at <paramref name="path"/>; fails the test when missing.</summary>
    public static JsonElement At(JsonElement root, string path) =>
        Find(root, path) ?? throw new XunitException($"JSON has no '{path}':\n{Shorten(root)}");

    /// <summary>The string at <paramref name="path"/> (numbers and booleans as their JSON text); null when missing.</summary>
    public static string? Text(JsonElement root, string path)
    {
        var found = Find(root, path);
        return found?.ValueKind switch
        {
            null or JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.String => found.Value.GetString(),
            _ => found.Value.GetRawText(),
        };
    }

    /// <summary>The array at <paramref name="path"/>, or empty when missing.</summary>
    public static IReadOnlyList<JsonElement> Items(JsonElement root, string path)
    {
        var found = Find(root, path);
        return found is { ValueKind: JsonValueKind.Array } array ? [.. array.EnumerateArray()] : [];
    }

    private static string Shorten(JsonElement root)
    {
        var text = root.GetRawText();
        return text.Length > 3000 ? text[..3000] + "…" : text;
    }
}
