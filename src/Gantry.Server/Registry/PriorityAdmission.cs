using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Storage;
using k8s.Models;

namespace Gantry.Server.Registry;

/// <summary>
/// Kubernetes' Priority admission plugin for new pods: a pod naming a PriorityClass gets its value
/// and preemption policy (an unknown class is refused), and a pod naming none gets the class marked
/// <c>globalDefault</c>, if there is one. The built-in system classes are left to the pod rules.
/// </summary>
public static class PriorityAdmission
{
    private static readonly ResourceType PriorityClasses = ResourceCatalog.Get("scheduling.k8s.io", "priorityclasses");
    private static readonly ResourceType Pods = ResourceCatalog.Get("", "pods");

    public static void Admit(WatchCache cache, V1Pod pod)
    {
        var spec = pod.Spec;
        if (spec is null || spec.PriorityClassName is "system-cluster-critical" or "system-node-critical")
        {
            return;
        }

        V1PriorityClass? priorityClass;
        if (string.IsNullOrEmpty(spec.PriorityClassName))
        {
            priorityClass = cache.List(PriorityClasses.KeyPrefix, new WatchFilter(PriorityClasses.KeyPrefix)).Items
                .Select(Read).FirstOrDefault(c => c.GlobalDefault == true);
            if (priorityClass is null)
            {
                return;
            }

            spec.PriorityClassName = priorityClass.Name();
        }
        else
        {
            var cached = cache.Get(PriorityClasses.Key(null, spec.PriorityClassName))
                ?? throw ApiException.Forbidden(Pods, NameOf(pod), $"no PriorityClass with name {spec.PriorityClassName} was found");
            priorityClass = Read(cached);
        }

        if (spec.Priority is { } asked && asked != priorityClass.Value)
        {
            throw ApiException.Forbidden(Pods, NameOf(pod), "the integer value of priority must not be provided in pod spec; priority admission controller computed " +
                $"{priorityClass.Value} from the given PriorityClass name");
        }

        spec.Priority = priorityClass.Value;
        spec.PreemptionPolicy ??= priorityClass.PreemptionPolicy ?? "PreemptLowerPriority";
    }

    /// <summary>The pod's name, or before one is generated its generateName, as kube's admission errors name it.</summary>
    private static string NameOf(V1Pod pod) => pod.Metadata?.Name ?? pod.Metadata?.GenerateName ?? "";

    /// <summary>
    /// Every pod create looks through all the classes for the global default, so each stored version of a class is
    /// decoded once and kept with it (a cached version never changes; a new one is a new object). Read only.
    /// </summary>
    private static V1PriorityClass Read(CachedObject cached) => DecodedObjects<V1PriorityClass>.Of(cached);
}
