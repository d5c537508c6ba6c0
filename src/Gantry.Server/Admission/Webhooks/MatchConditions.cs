using System.Text.Json.Nodes;
using Gantry.Core.Cel;
using k8s.Models;

namespace Gantry.Server.Admission.Webhooks;

/// <summary>
/// A webhook's CEL <c>matchConditions</c>, compiled once per version of its configuration and evaluated as kube's
/// webhook matcher evaluates them: on the request sent (<c>object</c>, <c>oldObject</c>, and <c>request</c> without
/// them or its uid), the webhook called unless a condition is false, whatever the others give; errors when none is
/// false are returned, for the failure policy to judge.
/// </summary>
public sealed class MatchConditions
{
    /// <summary>The variables a match condition may name (kube's <c>authorizer</c> is declared but not offered here).</summary>
    public static readonly IReadOnlyList<string> Variables = ["object", "oldObject", "request", "authorizer"];

    private readonly IReadOnlyList<(string Expression, CelProgram? Program, string? Error)> _conditions;

    private MatchConditions(IReadOnlyList<(string Expression, CelProgram? Program, string? Error)> conditions) => _conditions = conditions;

    public static MatchConditions None { get; } = new([]);

    public static MatchConditions Of(IEnumerable<V1MatchCondition>? conditions) =>
        conditions is null ? None : new([.. conditions.Select(Compile)]);

    /// <summary>
    /// Whether the webhook is called for <paramref name="request"/> (an AdmissionReview's request), and why the conditions
    /// could not tell when some failed to evaluate and none was false (kube's words, several joined as a list).
    /// </summary>
    public (bool Matches, string? Error) Match(JsonObject request, CancellationToken cancellationToken)
    {
        if (_conditions.Count == 0)
        {
            return (true, null);
        }

        var variables = new Dictionary<string, object?>
        {
            ["object"] = CelValues.FromJson(request["object"]),
            ["oldObject"] = CelValues.FromJson(request["oldObject"]),
            ["request"] = CelValues.FromJson(new JsonObject(request
                .Where(p => p.Key is not ("object" or "oldObject" or "uid"))
                .Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())))),
        };
        var errors = new List<string>();
        // Errors name the expression, as kube's CEL filter does.
        foreach (var (expression, program, error) in _conditions)
        {
            if (program is null)
            {
                errors.Add($"compilation error: {error}");
                continue;
            }

            try
            {
                if (program.Evaluate(variables, cancellationToken) is false)
                {
                    return (false, null);
                }
            }
            catch (CelException e)
            {
                errors.Add($"expression '{expression}' resulted in error: {e.Message}");
            }
        }

        return errors.Count == 0 ? (true, null) : (false, errors.Count == 1 ? errors[0] : $"[{string.Join(", ", errors)}]");
    }

    private static (string Expression, CelProgram? Program, string? Error) Compile(V1MatchCondition condition)
    {
        var expression = condition.Expression?.Trim() ?? "";
        try
        {
            return (expression, CelProgram.Compile(expression, [.. Variables]), null);
        }
        catch (CelException e)
        {
            return (expression, null, e.Message);
        }
    }
}
