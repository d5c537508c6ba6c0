using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Server.Api.Tables;

/// <summary>
/// The JSON paths a CustomResourceDefinition's printer columns use, as client-go's jsonpath reads them for kube's table
/// convertor: members (<c>.spec.replicas</c>, <c>.metadata.labels['app']</c>), indexes (<c>[0]</c>, <c>[*]</c>) and
/// filters comparing a member with a literal (<c>.status.conditions[?(@.type=="Ready")].status</c>). A cell shows the
/// first value found, as kube's does. Null for a path of any other form.
/// </summary>
internal sealed class SimpleJsonPath
{
    private readonly IReadOnlyList<Step> _steps;

    private SimpleJsonPath(IReadOnlyList<Step> steps) => _steps = steps;

    private abstract record Step;

    private sealed record Member(string Name) : Step;

    private sealed record Index(int Value) : Step;

    private sealed record All : Step;

    /// <summary><c>[?(@.path OP literal)]</c>: the elements whose member at the path compares as asked.</summary>
    private sealed record Filter(SimpleJsonPath Path, bool Equal, JsonNode? Literal) : Step
    {
        // As client-go's filter: an element without the member matches neither == nor !=.
        public bool Matches(JsonNode element) =>
            Path.FindAll(element).ToList() is { Count: > 0 } values && values.Any(v => JsonNode.DeepEquals(v, Literal)) == Equal;
    }

    public static SimpleJsonPath? Parse(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        // Kube accepts the column's path with or without the template braces.
        if (path is ['{', .., '}'])
        {
            path = path[1..^1];
        }

        return path[0] == '.' ? ParseSteps(path) : null;
    }

    private static SimpleJsonPath? ParseSteps(string path)
    {
        var steps = new List<Step>();
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

                steps.Add(new Member(path[(i + 1)..end]));
                i = end;
            }
            else if (path[i] == '[')
            {
                var close = i + 1 < path.Length && path[i + 1] == '?' ? path.IndexOf(")]", i, StringComparison.Ordinal) + 1 : path.IndexOf(']', i);
                if (close <= i || ParseBracket(path[(i + 1)..close]) is not { } step)
                {
                    return null;
                }

                steps.Add(step);
                i = close + 1;
            }
            else
            {
                return null;
            }
        }

        return new SimpleJsonPath(steps);
    }

    private static Step? ParseBracket(string inner)
    {
        if (inner == "*")
        {
            return new All();
        }

        if (inner.Length >= 2 && inner[0] is '\'' or '"' && inner[^1] == inner[0])
        {
            return new Member(inner[1..^1]);
        }

        if (int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return new Index(index);
        }

        if (!inner.StartsWith("?(@", StringComparison.Ordinal) || !inner.EndsWith(')'))
        {
            return null;
        }

        var condition = inner[3..^1];
        var (operatorAt, equal) = condition.IndexOf("==", StringComparison.Ordinal) is var eq and >= 0 ? (eq, true)
            : condition.IndexOf("!=", StringComparison.Ordinal) is var ne and >= 0 ? (ne, false)
            : (-1, false);
        if (operatorAt < 0 || ParseSteps(condition[..operatorAt].Trim()) is not { } member)
        {
            return null;
        }

        var literal = condition[(operatorAt + 2)..].Trim();
        if (literal.Length >= 2 && literal[0] is '\'' or '"' && literal[^1] == literal[0])
        {
            return new Filter(member, equal, JsonValue.Create(literal[1..^1]));
        }

        try
        {
            return new Filter(member, equal, JsonNode.Parse(literal));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The first value the path leads to in <paramref name="obj"/>, or null.</summary>
    public JsonNode? Find(JsonNode obj) => FindAll(obj).FirstOrDefault();

    private IEnumerable<JsonNode> FindAll(JsonNode obj)
    {
        IEnumerable<JsonNode> nodes = [obj];
        foreach (var step in _steps)
        {
            nodes = nodes.SelectMany(node => Apply(step, node)).ToList();
        }

        return nodes;
    }

    private static IEnumerable<JsonNode> Apply(Step step, JsonNode node) => (step, node) switch
    {
        (Member member, JsonObject o) when o[member.Name] is { } value => [value],
        (Index index, JsonArray a) when index.Value < a.Count && a[index.Value] is { } element => [element],
        (All, JsonArray a) => a.OfType<JsonNode>(),
        (All, JsonObject o) => o.Select(p => p.Value).OfType<JsonNode>(),
        (Filter filter, JsonArray a) => a.OfType<JsonNode>().Where(filter.Matches),
        _ => [],
    };
}
