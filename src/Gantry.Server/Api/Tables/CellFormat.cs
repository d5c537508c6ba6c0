using System.Text.Json.Nodes;

namespace Gantry.Server.Api.Tables;

/// <summary>The small formatting helpers the Kubernetes printers share.</summary>
internal static class CellFormat
{
    public const string None = "<none>";

    /// <summary>The object's age, from <c>metadata.creationTimestamp</c>.</summary>
    public static string Age(JsonObject obj, DateTimeOffset now) =>
        HumanDuration.Since(JsonRead.Time(obj, "metadata", "creationTimestamp"), now);

    public static string Name(JsonObject obj) => JsonRead.String(obj, "metadata", "name");

    /// <summary>A stored quantity as <c>Quantity.String()</c> prints it; an absent one is zero.</summary>
    public static string Quantity(JsonNode? value) =>
        value is JsonValue v && v.TryGetValue<string>(out var text) ? new k8s.Models.ResourceQuantity(text).ToString() : "0";

    /// <summary><c>k=v,k2=v2</c> sorted by key, or <c>&lt;none&gt;</c> (labels.FormatLabels).</summary>
    public static string Labels(JsonNode? map)
    {
        var text = string.Join(",", JsonRead.StringMap(map).Select(p => $"{p.Key}={p.Value}"));
        return text.Length == 0 ? None : text;
    }

    /// <summary>
    /// A metav1.LabelSelector as a selector string (<c>app=web,tier in (a,b),!legacy</c>), requirements sorted by
    /// key; an empty or missing selector prints as the empty string.
    /// </summary>
    public static string LabelSelector(JsonNode? selector)
    {
        var requirements = JsonRead.StringMap(selector, "matchLabels")
            .Select(p => (Key: p.Key, Text: $"{p.Key}={p.Value}"))
            .Concat(JsonRead.Objects(selector, "matchExpressions").Select(Expression))
            .OrderBy(r => r.Key, StringComparer.Ordinal);
        return string.Join(",", requirements.Select(r => r.Text));
    }

    /// <summary>metav1.FormatLabelSelector: like <see cref="LabelSelector"/> but <c>&lt;none&gt;</c> when empty.</summary>
    public static string LabelSelectorOrNone(JsonNode? selector)
    {
        var text = LabelSelector(selector);
        return text.Length == 0 ? None : text;
    }

    /// <summary>Container names and images of a pod template, each comma-separated.</summary>
    public static (string Names, string Images) Containers(JsonNode? podSpec)
    {
        var containers = JsonRead.Objects(podSpec, "containers").ToList();
        return (string.Join(",", containers.Select(c => JsonRead.String(c, "name"))),
            string.Join(",", containers.Select(c => JsonRead.String(c, "image"))));
    }

    private static (string Key, string Text) Expression(JsonObject expression)
    {
        var key = JsonRead.String(expression, "key");
        var values = string.Join(",", JsonRead.Strings(expression, "values").Order(StringComparer.Ordinal));
        var text = JsonRead.String(expression, "operator") switch
        {
            "In" => $"{key} in ({values})",
            "NotIn" => $"{key} notin ({values})",
            "Exists" => key,
            "DoesNotExist" => "!" + key,
            _ => "<error>",
        };
        return (key, text);
    }
}
