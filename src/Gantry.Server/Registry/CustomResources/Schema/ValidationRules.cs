using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Gantry.Core.Cel;
using Gantry.Core.Validation;

namespace Gantry.Server.Registry.CustomResources.Schema;

/// <summary>
/// A custom resource's <c>x-kubernetes-validations</c>, evaluated as kube's CEL validator evaluates them
/// (apiextensions-apiserver <c>schema/cel/validation.go</c>): each rule of a schema node with <c>self</c> the node's
/// value, and <c>oldSelf</c> its old value on an update where the old value can be told (an object's members, a map
/// list's items by their keys; never other list items); transition rules only where there is one; the rules of the
/// node's <c>allOf</c> schemas too, never ratcheted. A rule that is false is an error of its reason at the node (and its <c>fieldPath</c>) saying its message, its
/// <c>messageExpression</c> or <c>failed rule: RULE</c>; one that fails to evaluate says why, in kube's words. An error
/// on a value the update left as it was is dropped (kube's ratcheting makes it a warning). Rules the CEL engine cannot
/// evaluate, and those with <c>optionalOldSelf</c>, are left unevaluated.
/// </summary>
internal static class ValidationRules
{
    /// <summary>kube's limit on an evaluated <c>messageExpression</c> (<c>MaxEvaluatedMessageExpressionSizeBytes</c>).</summary>
    private const int MaxMessageBytes = 5 * 1024;

    // Whether a schema has rules anywhere, found once per schema: most have none, and every write asks.
    private static readonly ConditionalWeakTable<StructuralSchema, StrongBox<bool>> HasRules = [];

    /// <summary>Whether any node of <paramref name="schema"/> has rules.</summary>
    public static bool Any(StructuralSchema schema) => HasRules.GetValue(schema, s => new StrongBox<bool>(Find(s))).Value;

    private static bool Find(StructuralSchema schema) =>
        schema.Validations.Count > 0
        || schema.AllOf.Any(a => a.Validations.Count > 0)
        || schema.Properties.Values.Any(Find)
        || (schema.Items is { } items && Find(items))
        || (schema.AdditionalProperties?.Schema is { } additional && Find(additional));

    /// <summary>The errors of the rules of <paramref name="schema"/> and its nodes, for a whole object and its old version (null on create).</summary>
    public static IReadOnlyList<FieldError> Validate(StructuralSchema schema, JsonObject obj, JsonObject? old)
    {
        var errors = new List<FieldError>();
        var unchanged = old is not null && JsonNode.DeepEquals(obj, old);
        Walk(schema, obj, old, FieldPath.Root, unchanged, errors);
        return errors;
    }

    /// <returns>False once a rule ran past its cost limit: no further rules run, as in kube.</returns>
    private static bool Walk(StructuralSchema schema, JsonNode? value, JsonNode? old, FieldPath path, bool unchanged, List<FieldError> errors)
    {
        // Only values are validated: a rule on a nullable field sees no null.
        if (value is null)
        {
            return true;
        }

        if (schema.Validations.Count > 0 && !Evaluate(schema, schema.Validations, value, old, path, unchanged, errors))
        {
            return false;
        }

        foreach (var allOf in schema.AllOf.Where(a => a.Validations.Count > 0))
        {
            if (!Evaluate(schema, allOf.Validations, value, old, path, unchanged: false, errors))
            {
                return false;
            }
        }

        switch (value)
        {
            case JsonObject obj:
                foreach (var (name, member) in obj)
                {
                    var (memberSchema, memberPath) = schema.Properties.TryGetValue(name, out var property)
                        ? (property, path.Child(name))
                        : (schema.AdditionalProperties?.Schema, path.Key(name));
                    // Only subtrees with rules are walked.
                    if (memberSchema is null || !Any(memberSchema))
                    {
                        continue;
                    }

                    var oldMember = (old as JsonObject)?[name];
                    var memberUnchanged = oldMember is not null && JsonNode.DeepEquals(member, oldMember);
                    if (!Walk(memberSchema, member, oldMember, memberPath, memberUnchanged, errors))
                    {
                        return false;
                    }
                }

                break;
            case JsonArray array when schema.Items is { } items && Any(items):
                var oldItems = schema.ListType == "map" && schema.ListMapKeys.Count > 0 ? old as JsonArray : null;
                for (var i = 0; i < array.Count; i++)
                {
                    var oldItem = oldItems is null ? null : MapListItems.Counterpart(oldItems, array[i], schema.ListMapKeys);
                    var itemUnchanged = oldItems is null ? unchanged : oldItem is not null && JsonNode.DeepEquals(array[i], oldItem);
                    if (!Walk(items, array[i], oldItem, path.Index(i), itemUnchanged, errors))
                    {
                        return false;
                    }
                }

                break;
        }

        return true;
    }

    /// <param name="schema">The node's schema, which types its value.</param>
    /// <param name="rules">The node's rules, or those of one of its <c>allOf</c> schemas.</param>
    private static bool Evaluate(
        StructuralSchema schema, IReadOnlyList<k8s.Models.V1ValidationRule> rules, JsonNode value, JsonNode? old, FieldPath path, bool unchanged, List<FieldError> errors)
    {
        Dictionary<string, object?>? variables = null;
        foreach (var rule in rules)
        {
            var compiled = CompiledRule.Of(rule);
            if (compiled.Program is not { } program || rule.OptionalOldSelf == true || (compiled.UsesOldSelf && old is null))
            {
                continue;
            }

            object? result;
            try
            {
                variables ??= new Dictionary<string, object?> { [CompiledRule.Self] = CelValueOf.From(value, schema), [CompiledRule.OldSelf] = null };
                if (compiled.UsesOldSelf && variables[CompiledRule.OldSelf] is null)
                {
                    variables[CompiledRule.OldSelf] = CelValueOf.From(old, schema);
                }

                result = program.Evaluate(variables);
            }
            catch (CelUnsupportedException)
            {
                continue;
            }
            catch (CelEvaluationException e) when (e.Message.StartsWith("no such overload", StringComparison.Ordinal))
            {
                errors.Add(FieldErrors.Invalid(path, schema.Type,
                    $"'{e.Message}': call arguments did not match a supported operator, function or macro signature for rule: {compiled.ErrorString}"));
                continue;
            }
            catch (CelEvaluationException e) when (e.Message.StartsWith("operation cancelled: actual cost limit exceeded", StringComparison.Ordinal))
            {
                errors.Add(FieldErrors.Invalid(path, schema.Type,
                    $"'{e.Message}': no further validation rules will be run due to call cost exceeds limit for rule: {compiled.ErrorString}"));
                return false;
            }
            catch (CelEvaluationException e)
            {
                errors.Add(FieldErrors.Invalid(path, schema.Type, $"{e.Message} evaluating rule: {compiled.ErrorString}"));
                continue;
            }

            if (result is true || (unchanged && !compiled.UsesOldSelf))
            {
                continue;
            }

            var errorPath = FieldPathOf(schema, path, rule.FieldPath);
            var detail = MessageOf(compiled, variables) ?? (string.IsNullOrEmpty(rule.Message) ? $"failed rule: {compiled.ErrorString}" : rule.Message.Trim());
            errors.Add(rule.Reason switch
            {
                "FieldValueForbidden" => FieldErrors.Forbidden(errorPath, detail),
                "FieldValueRequired" => FieldErrors.Required(errorPath, detail),
                "FieldValueDuplicate" => FieldErrors.Duplicate(errorPath, schema.Type),
                _ => FieldErrors.Invalid(errorPath, schema.Type, detail),
            });
        }

        return true;
    }

    /// <summary>The rule's <c>messageExpression</c>, as kube takes it: trimmed, one line, not empty; null when it gives none.</summary>
    private static string? MessageOf(CompiledRule compiled, Dictionary<string, object?> variables)
    {
        try
        {
            return compiled.Message?.Evaluate(variables) is string message
                   && message.Trim() is { Length: > 0 and <= MaxMessageBytes } trimmed && !trimmed.Contains('\n', StringComparison.Ordinal)
                ? trimmed
                : null;
        }
        catch (CelException)
        {
            return null;
        }
    }

    /// <summary>
    /// Where a rule's <c>fieldPath</c> (<c>.spec.replicas</c>, <c>.labels['app']</c>) points from the rule's node: members
    /// its schema names are children, others map keys. A path the schema does not have is the node's (the definition's
    /// validation refuses such paths).
    /// </summary>
    private static FieldPath FieldPathOf(StructuralSchema schema, FieldPath path, string? fieldPath)
    {
        if (string.IsNullOrEmpty(fieldPath))
        {
            return path;
        }

        var result = path;
        var node = schema;
        var rest = fieldPath.AsSpan();
        while (rest.Length > 0 && node is not null)
        {
            string name;
            if (rest.StartsWith("['"))
            {
                var end = rest.IndexOf("']");
                if (end < 0)
                {
                    return path;
                }

                name = rest[2..end].ToString().Replace("\\'", "'", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
                rest = rest[(end + 2)..];
            }
            else if (rest[0] == '.')
            {
                rest = rest[1..];
                var end = rest.IndexOfAny('.', '[');
                name = (end < 0 ? rest : rest[..end]).ToString();
                rest = end < 0 ? [] : rest[end..];
            }
            else
            {
                return path;
            }

            if (node.Properties.TryGetValue(name, out var property))
            {
                (result, node) = (result.Child(name), property);
            }
            else
            {
                (result, node) = (result.Key(name), node.AdditionalProperties?.Schema);
            }
        }

        return result;
    }
}
