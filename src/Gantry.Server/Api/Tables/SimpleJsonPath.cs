using System.Globalization;
using System.Text.Json.Nodes;

namespace Gantry.Server.Api.Tables;

/// <summary>
/// The JSON paths a CustomResourceDefinition's printer columns use (<c>.spec.replicas</c>, <c>.status.conditions[0].type</c>,
/// <c>.metadata.labels['app']</c>): members and array indexes, one value each. Null for a path of any other form.
/// </summary>
internal sealed class SimpleJsonPath
{
    private readonly IReadOnlyList<object> _steps;

    private SimpleJsonPath(IReadOnlyList<object> steps) => _steps = steps;

    public static SimpleJsonPath? Parse(string? path)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '.')
        {
            return null;
        }

        var steps = new List<object>();
        var i = 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = i + 1;
                while (end < path.Length && path[end] is not ('.' or '['))
                {
                    end++;
                }

                if (end == i + 1)
                {
                    return null;
                }

                steps.Add(path[(i + 1)..end]);
                i = end;
            }
            else if (path[i] == '[')
            {
                var close = path.IndexOf(']', i);
                if (close < 0)
                {
                    return null;
                }

                var inner = path[(i + 1)..close];
                if (inner.Length >= 2 && inner[0] is '\'' or '"' && inner[^1] == inner[0])
                {
                    steps.Add(inner[1..^1]);
                }
                else if (int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    steps.Add(index);
                }
                else
                {
                    return null;
                }

                i = close + 1;
            }
            else
            {
                return null;
            }
        }

        return new SimpleJsonPath(steps);
    }

    /// <summary>The value the path leads to in <paramref name="obj"/>, or null.</summary>
    public JsonNode? Find(JsonNode obj)
    {
        JsonNode? node = obj;
        foreach (var step in _steps)
        {
            node = (step, node) switch
            {
                (string member, JsonObject o) => o[member],
                (int index, JsonArray a) when index < a.Count => a[index],
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }
}
