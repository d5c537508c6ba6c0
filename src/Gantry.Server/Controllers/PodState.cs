using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>The pod predicates controllers count with (podutil's IsPodActive, IsPodReady, IsPodAvailable).</summary>
public static class PodState
{
    /// <summary>Not finished and not being deleted: a pod that counts towards a controller's replicas.</summary>
    public static bool IsActive(V1Pod pod) =>
        pod.Status?.Phase is not ("Succeeded" or "Failed") && pod.Metadata.DeletionTimestamp is null;

    public static bool IsTerminal(V1Pod pod) => pod.Status?.Phase is "Succeeded" or "Failed";

    public static bool IsReady(V1Pod pod) => ReadyCondition(pod)?.Status == "True";

    /// <summary>Ready for at least <paramref name="minReadySeconds"/>, measured from the Ready condition's last transition.</summary>
    public static bool IsAvailable(V1Pod pod, int minReadySeconds, DateTimeOffset now)
    {
        var ready = ReadyCondition(pod);
        if (ready?.Status != "True")
        {
            return false;
        }

        if (minReadySeconds == 0)
        {
            return true;
        }

        return ready.LastTransitionTime is { } since && new DateTimeOffset(DateTime.SpecifyKind(since, DateTimeKind.Utc)).AddSeconds(minReadySeconds) <= now;
    }

    /// <summary>When a ready pod becomes available, or null when it is not ready.</summary>
    public static DateTimeOffset? AvailableAt(V1Pod pod, int minReadySeconds)
    {
        var ready = ReadyCondition(pod);
        return ready?.Status == "True" && ready.LastTransitionTime is { } since
            ? new DateTimeOffset(DateTime.SpecifyKind(since, DateTimeKind.Utc)).AddSeconds(minReadySeconds)
            : null;
    }

    public static int RestartCount(V1Pod pod) =>
        (pod.Status?.ContainerStatuses ?? []).Sum(c => c.RestartCount) + (pod.Status?.InitContainerStatuses ?? []).Sum(c => c.RestartCount);

    private static V1PodCondition? ReadyCondition(V1Pod pod) => pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
}
