using System.Text.Json.Nodes;
using Gantry.Core.Cel;
using k8s.Models;

namespace Gantry.Server.Admission.Webhooks;

/// <summary>
/// The CEL <c>matchConditions</c> of a webhook or a ValidatingAdmissionPolicy, compiled once per version of its
/// configuration and evaluated as kube's matcher evaluates them: the webhook is called (the policy applied) unless a
/// condition is false, whatever the others give; errors when none is false are returned, for the failure policy to judge.
/// A webhook's conditions see the request sent (<c>object</c>, <c>oldObject</c>, and <c>request</c> without them or its
/// uid); a policy's see the variables of its expressions.
/// </summary>
public sealed class MatchConditions
{
    /// <summary>The variables a match condition may name (kube's <c>authorizer</c> is declared but not offered here).</summary>
    public static readonly IReadOnlyList<string> Variables = ["object", "oldObject", "request", "authorizer"];

    private readonly IReadOnlyList<(string Expression, CelProgram? Program, string? Error)> _conditions;

    private MatchConditions(IReadOnlyList<(string Expression, CelProgram? Program, string? Error)> conditions) => _conditions = conditions;

    public static MatchConditions None { get; } = new([]);

    public static MatchConditions Of(IEnumerable<V1MatchCondition>? conditions) =>
        Of(conditions, expression => CelProgram.Compile(expression, [.. Variables]));

    /// <param name="compile">Compiles one expression in the environment of the conditions' owner.</param>
    public static MatchConditions Of(IEnumerable<V1MatchCondition>? conditions, Func<string, CelProgram> compile) =>
        conditions is null ? None : new([.. conditions.Select(c => Compile(c, compile))]);

    /// <summary>
    /// Whether the webhook is called for <paramref name="request"/> (an AdmissionReview's request), and why the conditions
    /// could not tell when some failed to evaluate and none was false (kube's words, several joined as a list).
    /// </summary>
    public (bool Matches, string? Error) Match(JsonObject request, CancellationToken cancellationToken) =>
        _conditions.Count == 0
            ? (true, null)
            : Match(
                new Dictionary<string, object?>
                {
                    ["object"] = CelValues.FromJson(request["object"]),
                    ["oldObject"] = CelValues.FromJson(request["oldObject"]),
                    ["request"] = CelValues.FromJson(new JsonObject(request
                        .Where(p => p.Key is not ("object" or "oldObject" or "uid"))
                        .Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())))),
                },
                cancellationToken);

    /// <summary>Whether the conditions hold for these values of their variables (see the request's overload).</summary>
    public (bool Matches, string? Error) Match(IReadOnlyDictionary<string, object?> variables, CancellationToken cancellationToken)
    {
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

    private static (string Expression, CelProgram? Program, string? Error) Compile(V1MatchCondition condition, Func<string, CelProgram> compile)
    {
        var expression = condition.Expression?.Trim() ?? "";
        try
        {
            return (expression, compile(expression), null);
        }
        catch (CelException e)
        {
            return (expression, null, e.Message);
        }
    }
}
