using k8s.Models;

namespace Gantry.Server.Kernel;

/// <summary>
/// Which framework of the kernel a pod's resources are held for, and under which id. A pod an external framework
/// launched names <see cref="SchedulerName"/> and carries its framework's id in <see cref="Label"/>; its resources are
/// committed against the framework's offer before the pod exists, so its allocation is keyed by the pod's namespace and
/// name, which the framework chooses. Every other pod is the pod scheduler's, keyed by its uid, whatever its labels: the
/// label alone is an ordinary label anyone may set.
/// </summary>
public static class PodFramework
{
    public const string Label = "kernel.gantry.io/framework";

    /// <summary>No scheduler of Gantry's has this name: such a pod is placed by its framework's offer, never by them.</summary>
    public const string SchedulerName = "kernel.gantry.io/external-framework";

    public static string? ExternalFrameworkOf(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.Spec?.SchedulerName == SchedulerName
            && pod.Metadata.Labels?.TryGetValue(Label, out var framework) == true && !string.IsNullOrEmpty(framework)
            ? framework
            : null;
    }

    public static string AllocationId(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return ExternalFrameworkOf(pod) is null ? pod.Metadata.Uid : ExternalAllocationId(pod.Metadata.NamespaceProperty, pod.Metadata.Name);
    }

    public static string ExternalAllocationId(string ns, string name) => $"pod:{ns}/{name}";
}
