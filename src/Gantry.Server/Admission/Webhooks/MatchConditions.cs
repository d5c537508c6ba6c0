using System.Text.Json.Nodes;
using Gantry.Core.Cel;
using k8s.Models;

namespace Gantry.Server.Admission.Webhooks;

/// <summary>
/// A webhook's CEL <c>matchConditions</c>, compiled once per version of its configuration and evaluated as kube's
/// webhook matcher evaluates them: on the request sent (<c>object</c>, <c>oldObject</c>, <c>request</c>), the webhook
/// called only when every condition is true; a false one skips it whatever the others give, and an error (when none is
/// false) fails the call, which its failure policy then judges.
/// </summary>
public sealed class MatchConditions
{
    /// <summary>The variables a match condition may name (kube's <c>authorizer</c> is declared but not offered here).</summary>
    public static readonly IReadOnlyList<string> Variables = ["object", "oldObject", "request", "authorizer"];

    private readonly IReadOnlyList<(string Name, CelProgram? Program, string? Error)> _conditions;

    private MatchConditions(IReadOnlyList<(string Name, CelProgram? Program, string? Error)> conditions) => _conditions = conditions;

    public static MatchConditions None { get; } = new([]);

    public static MatchConditions Of(IEnumerable<V1MatchCondition>? conditions) =>
        conditions is null ? None : new([.. conditions.Select(Compile)]);

    /// <summary>Whether the webhook is called for the request <paramref name="request"/> (an AdmissionReview's request).</summary>
    /// <exception cref="WebhookCallException">A condition failed to evaluate, and none was false.</exception>
    public bool Match(string webhookName, JsonObject request, CancellationToken cancellationToken)
    {
        if (_conditions.Count == 0)
        {
            return true;
        }

        var variables = new Dictionary<string, object?>
        {
            ["object"] = CelValues.FromJson(request["object"]),
            ["oldObject"] = CelValues.FromJson(request["oldObject"]),
            ["request"] = CelValues.FromJson(request),
        };
        var errors = new List<string>();
        foreach (var (name, program, error) in _conditions)
        {
            if (program is null)
            {
                errors.Add($"expression of match condition \"{name}\" cannot be evaluated: {error}");
                continue;
            }

            try
            {
                switch (program.Evaluate(variables, cancellationToken))
                {
                    case false:
                        return false;
                    case true:
                        break;
                    default:
                        errors.Add($"expression of match condition \"{name}\" did not evaluate to a boolean");
                        break;
                }
            }
            catch (CelException e)
            {
                errors.Add($"expression of match condition \"{name}\" resulted in error: {e.Message}");
            }
        }

        return errors.Count == 0 ? true : throw new WebhookCallException(webhookName, errors.Count == 1 ? errors[0] : $"[{string.Join(", ", errors)}]");
    }

    private static (string Name, CelProgram? Program, string? Error) Compile(V1MatchCondition condition)
    {
        try
        {
            return (condition.Name, CelProgram.Compile(condition.Expression.Trim(), [.. Variables]), null);
        }
        catch (CelException e)
        {
            return (condition.Name, null, e.Message);
        }
    }
}
