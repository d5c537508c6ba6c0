using Gantry.Core.Validation;

namespace Gantry.Server.Security;

/// <summary>
/// A rule as kube's <c>CompactString</c> prints it in escalation messages: only the fields that are set, in the order
/// APIGroups, Resources, NonResourceURLs, ResourceNames, Verbs, each as Go's <c>%q</c> of a string slice, e.g.
/// <c>{APIGroups:["apps"], Resources:["deployments"], Verbs:["get" "list"]}</c>. Pure.
/// </summary>
public static class RbacRuleText
{
    public static string Compact(PolicyRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var parts = new List<string>(5);
        Add(parts, "APIGroups", rule.Groups);
        Add(parts, "Resources", rule.Resources);
        Add(parts, "NonResourceURLs", rule.NonResourceUrls);
        Add(parts, "ResourceNames", rule.Names ?? []);
        Add(parts, "Verbs", rule.Verbs);
        return "{" + string.Join(", ", parts) + "}";
    }

    /// <summary>Go's <c>%q</c> of a <c>[]string</c>: <c>["a" "b"]</c>.</summary>
    public static string QuotedList(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return "[" + string.Join(" ", values.Select(GoValue.Quote)) + "]";
    }

    private static void Add(List<string> parts, string field, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
        {
            parts.Add(field + ":" + QuotedList(values));
        }
    }
}
