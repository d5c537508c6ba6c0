using k8s.Models;

namespace Gantry.Server.Registry.Quota;

/// <summary>
/// Which pods a scoped ResourceQuota charges (kube's pod evaluator <c>podMatchesScopeFunc</c>): its <c>scopes</c> and the
/// requirements of its <c>scopeSelector</c> must all match. A scoped quota charges pods only.
/// </summary>
public static class QuotaScopes
{
    public const string Terminating = "Terminating";
    public const string NotTerminating = "NotTerminating";
    public const string BestEffort = "BestEffort";
    public const string NotBestEffort = "NotBestEffort";
    public const string PriorityClass = "PriorityClass";
    public const string CrossNamespacePodAffinity = "CrossNamespacePodAffinity";

    public static IReadOnlyList<string> All { get; } = [Terminating, NotTerminating, BestEffort, NotBestEffort, PriorityClass, CrossNamespacePodAffinity];

    public static bool IsScoped(V1ResourceQuotaSpec? spec) =>
        spec?.Scopes is { Count: > 0 } || spec?.ScopeSelector?.MatchExpressions is { Count: > 0 };

    public static bool Matches(V1ResourceQuotaSpec? spec, V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        foreach (var scope in spec?.Scopes ?? [])
        {
            if (!Matches(new V1ScopedResourceSelectorRequirement { ScopeName = scope, OperatorProperty = "Exists" }, pod))
            {
                return false;
            }
        }

        return (spec?.ScopeSelector?.MatchExpressions ?? []).All(r => Matches(r, pod));
    }

    private static bool Matches(V1ScopedResourceSelectorRequirement requirement, V1Pod pod)
    {
        var spec = pod.Spec ?? new V1PodSpec();
        return requirement.ScopeName switch
        {
            Terminating => spec.ActiveDeadlineSeconds is >= 0,
            NotTerminating => spec.ActiveDeadlineSeconds is null,
            BestEffort => PodUsage.IsBestEffort(pod),
            NotBestEffort => !PodUsage.IsBestEffort(pod),
            PriorityClass => MatchesPriorityClass(requirement, spec.PriorityClassName),
            CrossNamespacePodAffinity => UsesCrossNamespaceAffinity(spec.Affinity),
            _ => false,
        };
    }

    /// <summary>A requirement on the pod's priority class name, as a label selector requirement reads a label.</summary>
    private static bool MatchesPriorityClass(V1ScopedResourceSelectorRequirement requirement, string? priorityClassName)
    {
        var values = requirement.Values ?? [];
        priorityClassName = string.IsNullOrEmpty(priorityClassName) ? null : priorityClassName;
        return requirement.OperatorProperty switch
        {
            "In" => priorityClassName is not null && values.Contains(priorityClassName),
            "NotIn" => priorityClassName is null || !values.Contains(priorityClassName),
            "Exists" => priorityClassName is not null,
            "DoesNotExist" => priorityClassName is null,
            _ => false,
        };
    }

    /// <summary>kube's <c>usesCrossNamespacePodAffinity</c>: a pod (anti-)affinity term naming namespaces or a namespace selector.</summary>
    private static bool UsesCrossNamespaceAffinity(V1Affinity? affinity)
    {
        var terms = new List<V1PodAffinityTerm>();
        terms.AddRange(affinity?.PodAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? []);
        terms.AddRange((affinity?.PodAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? []).Select(w => w.PodAffinityTerm));
        terms.AddRange(affinity?.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? []);
        terms.AddRange((affinity?.PodAntiAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? []).Select(w => w.PodAffinityTerm));
        return terms.Any(t => t.Namespaces is { Count: > 0 } || t.NamespaceSelector is not null);
    }
}
