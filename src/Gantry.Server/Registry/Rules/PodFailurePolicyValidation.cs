using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// A Job's <c>spec.podFailurePolicy</c>, as kube's validatePodFailurePolicy checks it: at most 20 rules, each with a known
/// action (FailIndex only with backoffLimitPerIndex) and exactly one of onExitCodes (a known operator, a container of the
/// template, 1 to 255 distinct exit codes in order, no 0 for In) and onPodConditions (at most 20 patterns, each a
/// qualified condition type and a status).
/// </summary>
internal static class PodFailurePolicyValidation
{
    private const int MaxRules = 20;
    private const int MaxExitCodes = 255;
    private const int MaxPatterns = 20;

    // kube lists them sorted, as sets.List does.
    private static readonly string[] Actions = ["Count", "FailIndex", "FailJob", "Ignore"];
    private static readonly string[] Operators = ["In", "NotIn"];
    private static readonly string[] Statuses = ["False", "True", "Unknown"];

    public static void Validate(V1JobSpec spec, FieldPath path, List<FieldError> errors)
    {
        var rules = spec.PodFailurePolicy?.Rules ?? [];
        var rulesPath = path.Child("rules");
        if (rules.Count > MaxRules)
        {
            errors.Add(FieldErrors.TooMany(rulesPath, rules.Count, MaxRules));
        }

        var containers = (spec.Template?.Spec?.Containers ?? []).Concat(spec.Template?.Spec?.InitContainers ?? []).Select(c => c.Name).ToHashSet();
        for (var i = 0; i < rules.Count; i++)
        {
            ValidateRule(spec, rules[i], rulesPath.Index(i), containers, errors);
        }
    }

    private static void ValidateRule(V1JobSpec spec, V1PodFailurePolicyRule rule, FieldPath path, HashSet<string> containers, List<FieldError> errors)
    {
        var actionPath = path.Child("action");
        if (string.IsNullOrEmpty(rule.Action))
        {
            errors.Add(FieldErrors.Required(actionPath, $"valid values: {QuotedList(Actions)}"));
        }
        else if (rule.Action == "FailIndex")
        {
            if (spec.BackoffLimitPerIndex is null)
            {
                errors.Add(FieldErrors.Invalid(actionPath, rule.Action, "requires the backoffLimitPerIndex to be set"));
            }
        }
        else if (!Actions.Contains(rule.Action))
        {
            errors.Add(FieldErrors.NotSupported(actionPath, rule.Action, Actions));
        }

        if (rule.OnExitCodes is { } onExitCodes)
        {
            ValidateExitCodes(onExitCodes, path.Child("onExitCodes"), containers, errors);
        }

        var patterns = rule.OnPodConditions ?? [];
        if (patterns.Count > 0)
        {
            ValidatePatterns(patterns, path.Child("onPodConditions"), errors);
        }

        if (rule.OnExitCodes is not null && patterns.Count > 0)
        {
            errors.Add(FieldErrors.InvalidStruct(path, "specifying both OnExitCodes and OnPodConditions is not supported"));
        }

        if (rule.OnExitCodes is null && patterns.Count == 0)
        {
            errors.Add(FieldErrors.InvalidStruct(path, "specifying one of OnExitCodes and OnPodConditions is required"));
        }
    }

    private static void ValidateExitCodes(V1PodFailurePolicyOnExitCodesRequirement requirement, FieldPath path, HashSet<string> containers, List<FieldError> errors)
    {
        var operatorPath = path.Child("operator");
        if (string.IsNullOrEmpty(requirement.OperatorProperty))
        {
            errors.Add(FieldErrors.Required(operatorPath, $"valid values: {QuotedList(Operators)}"));
        }
        else if (!Operators.Contains(requirement.OperatorProperty))
        {
            errors.Add(FieldErrors.NotSupported(operatorPath, requirement.OperatorProperty, Operators));
        }

        if (requirement.ContainerName is { } container && !containers.Contains(container))
        {
            errors.Add(FieldErrors.Invalid(path.Child("containerName"), container, "must be one of the container or initContainer names in the pod template"));
        }

        var values = requirement.Values;
        var valuesPath = path.Child("values");
        if (values is null || values.Count == 0)
        {
            errors.Add(FieldErrors.Invalid(valuesPath, GoValue.Int32s(values), "at least one value is required"));
        }
        else if (values.Count > MaxExitCodes)
        {
            errors.Add(FieldErrors.TooMany(valuesPath, values.Count, MaxExitCodes));
        }

        var seen = new HashSet<int>();
        var ordered = true;
        for (var i = 0; i < (values?.Count ?? 0); i++)
        {
            var value = values![i];
            if (requirement.OperatorProperty == "In" && value == 0)
            {
                errors.Add(FieldErrors.Invalid(valuesPath.Index(i), value, "must not be 0 for the In operator"));
            }

            if (!seen.Add(value))
            {
                errors.Add(FieldErrors.Duplicate(valuesPath.Index(i), value));
            }

            ordered &= i == 0 || values[i - 1] <= value;
        }

        if (!ordered)
        {
            errors.Add(FieldErrors.Invalid(valuesPath, GoValue.Int32s(values), "must be ordered"));
        }
    }

    private static void ValidatePatterns(IList<V1PodFailurePolicyOnPodConditionsPattern> patterns, FieldPath path, List<FieldError> errors)
    {
        if (patterns.Count > MaxPatterns)
        {
            errors.Add(FieldErrors.TooMany(path, patterns.Count, MaxPatterns));
        }

        for (var i = 0; i < patterns.Count; i++)
        {
            var pattern = patterns[i];
            var typePath = path.Index(i).Child("type");
            errors.AddRange(FormatValidation.IsQualifiedName(pattern.Type ?? "").Select(m => FieldErrors.Invalid(typePath, pattern.Type ?? "", m)));
            var statusPath = path.Index(i).Child("status");
            if (string.IsNullOrEmpty(pattern.Status))
            {
                errors.Add(FieldErrors.Required(statusPath, $"valid values: {QuotedList(Statuses)}"));
            }
            else if (!Statuses.Contains(pattern.Status))
            {
                errors.Add(FieldErrors.NotSupported(statusPath, pattern.Status, Statuses));
            }
        }
    }

    /// <summary>Go's <c>%q</c> of a string slice: <c>["In" "NotIn"]</c>.</summary>
    private static string QuotedList(IEnumerable<string> values) => "[" + string.Join(" ", values.Select(GoValue.Quote)) + "]";

}
