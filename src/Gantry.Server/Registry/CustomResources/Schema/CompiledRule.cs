using System.Runtime.CompilerServices;
using Gantry.Core.Cel;
using k8s.Models;

namespace Gantry.Server.Registry.CustomResources.Schema;

/// <summary>
/// One <c>x-kubernetes-validations</c> rule compiled once per definition version (with its <c>messageExpression</c>):
/// null programs when Gantry's CEL engine cannot compile it (a function it lacks, a syntax it does not read), which
/// leaves the rule unevaluated rather than refusing objects the definition's author meant to accept.
/// </summary>
internal sealed class CompiledRule
{
    public const string Self = "self";
    public const string OldSelf = "oldSelf";

    private static readonly string[] Variables = [Self, OldSelf];
    private static readonly ConditionalWeakTable<V1ValidationRule, CompiledRule> Compiled = [];

    private CompiledRule(V1ValidationRule rule)
    {
        Rule = rule;
        Program = TryCompile(rule.Rule);
        Message = string.IsNullOrWhiteSpace(rule.MessageExpression) ? null : TryCompile(rule.MessageExpression);
        UsesOldSelf = Program?.ReferencedVariables.Contains(OldSelf) == true;
    }

    public V1ValidationRule Rule { get; }

    /// <summary>The rule's program; null when it cannot be evaluated here.</summary>
    public CelProgram? Program { get; }

    /// <summary>The message expression's program; null when there is none or it cannot be evaluated here.</summary>
    public CelProgram? Message { get; }

    /// <summary>A transition rule: evaluated only on an update, where the old value can be told.</summary>
    public bool UsesOldSelf { get; }

    /// <summary>The rule as kube names it in errors (<c>ruleErrorString</c>): its message, else its expression.</summary>
    public string ErrorString => string.IsNullOrEmpty(Rule.Message) ? (Rule.Rule ?? "").Trim() : Rule.Message.Trim();

    public static CompiledRule Of(V1ValidationRule rule) => Compiled.GetValue(rule, r => new CompiledRule(r));

    private static CelProgram? TryCompile(string? expression)
    {
        if (string.IsNullOrWhiteSpace(expression))
        {
            return null;
        }

        try
        {
            return CelProgram.Compile(expression, Variables);
        }
        catch (CelException)
        {
            return null;
        }
    }
}
