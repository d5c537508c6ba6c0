using Gantry.Server.Admission.Webhooks;
using k8s.Models;

namespace Gantry.Server.Admission.Policies;

/// <summary>
/// One stored ValidatingAdmissionPolicy, compiled once per version of it: which requests it sees, the kind of its
/// params, its match conditions, variables, validations and audit annotations (kube's v1 defaults where a field is unset).
/// </summary>
/// <param name="FailClosed">Whether an expression that cannot give an answer refuses the request (<c>failurePolicy: Fail</c>).</param>
/// <param name="Criteria">Its <c>matchConstraints</c>; null where it has none, which validation refuses, and then it matches nothing.</param>
/// <param name="ParamKind">The <c>apiVersion</c> and <c>kind</c> of its params, where it takes any.</param>
public sealed record ValidatingPolicy(
    string Name,
    bool FailClosed,
    MatchCriteria? Criteria,
    V1ParamKind? ParamKind,
    MatchConditions Conditions,
    IReadOnlyList<(string Name, PolicyExpression Expression)> Variables,
    IReadOnlyList<PolicyValidation> Validations,
    IReadOnlyList<(string Key, PolicyExpression Value)> AuditAnnotations)
{
    public static ValidatingPolicy Of(V1ValidatingAdmissionPolicy policy)
    {
        var spec = policy.Spec ?? new V1ValidatingAdmissionPolicySpec();
        var hasParams = spec.ParamKind is not null;
        var declared = spec.Variables ?? [];
        var names = declared.Count == 0 ? null : declared.Select(v => v.Name ?? "").ToList();
        var environment = PolicyExpressions.Environment(hasParams, names);
        var messageEnvironment = PolicyExpressions.MessageEnvironment(hasParams, names);
        return new(
            policy.Metadata?.Name ?? "",
            spec.FailurePolicy != "Ignore",
            spec.MatchConstraints is { } constraints ? MatchCriteria.Of(constraints, emptyRulesMatchAll: false) : null,
            spec.ParamKind,
            MatchConditions.Of(spec.MatchConditions, expression => PolicyExpressions.Compile(expression, PolicyExpressions.MatchConditionEnvironment(hasParams))),
            // A variable sees the variables declared before it.
            [.. declared.Select((v, i) => (v.Name ?? "", PolicyExpression.Compile(v.Expression, PolicyExpressions.Environment(hasParams, names![..i]))))],
            [.. (spec.Validations ?? []).Select(v => PolicyValidation.Of(v, environment, messageEnvironment))],
            [.. (spec.AuditAnnotations ?? []).Select(a => (a.Key ?? "", PolicyExpression.Compile(a.ValueExpression, environment)))]);
    }
}
