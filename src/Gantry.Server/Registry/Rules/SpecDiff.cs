using System.Text;
using System.Text.Json.Nodes;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// A short description of how two specs differ, in the spirit of the <c>cmp.Diff</c> the apiserver appends to
/// "may not change" errors: one <c>-</c>/<c>+</c> pair per changed top-level field.
/// </summary>
internal static class SpecDiff
{
    public static string Describe(string goTypeName, object? old, object? updated)
    {
        var before = SemanticEquality.Normalized(old) as JsonObject ?? [];
        var after = SemanticEquality.Normalized(updated) as JsonObject ?? [];
        var builder = new StringBuilder().Append("  ").Append(goTypeName).Append("{\n");
        foreach (var key in before.Select(p => p.Key).Union(after.Select(p => p.Key)).Order(StringComparer.Ordinal))
        {
            before.TryGetPropertyValue(key, out var oldValue);
            after.TryGetPropertyValue(key, out var newValue);
            if (JsonNode.DeepEquals(oldValue, newValue))
            {
                continue;
            }

            if (oldValue is not null)
            {
                builder.Append("- \t").Append(key).Append(": ").Append(oldValue.ToJsonString()).Append(",\n");
            }

            if (newValue is not null)
            {
                builder.Append("+ \t").Append(key).Append(": ").Append(newValue.ToJsonString()).Append(",\n");
            }
        }

        return builder.Append("  }\n").ToString();
    }
}
