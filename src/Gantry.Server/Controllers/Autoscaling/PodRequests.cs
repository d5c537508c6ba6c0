using k8s.Models;

namespace Gantry.Server.Controllers.Autoscaling;

/// <summary>
/// kube's <c>calculateRequests</c>: each pod's request of a resource as a milli-value. A named container's request is
/// that container's; otherwise the pod-level request when the pod sets one (and the feature is on), else the sum over
/// the containers and the restartable init (sidecar) containers, every one of which must request the resource.
/// </summary>
internal static class PodRequests
{
    /// <summary>The resources a pod may request at pod level (kube's <c>IsSupportedPodLevelResource</c>).</summary>
    private static readonly string[] PodLevel = ["cpu", "memory"];

    /// <summary>The requests by pod name, or kube's error for the first pod whose request is missing.</summary>
    public static (Dictionary<string, long>? Requests, string? Error) Calculate(
        IReadOnlyList<V1Pod> pods, string? container, string resource, bool podLevelResources)
    {
        var requests = new Dictionary<string, long>(pods.Count, StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            var (request, error) = podLevelResources && string.IsNullOrEmpty(container) && PodLevelRequestsSet(pod)
                ? PodLevelRequest(pod, resource)
                : ContainerRequests(pod, container, resource);
            if (error is not null)
            {
                return (null, error);
            }

            requests[NameOf(pod)] = request;
        }

        return (requests, null);
    }

    /// <summary>A quantity as kube's <c>Quantity.MilliValue</c> reads it: thousandths, rounded up.</summary>
    public static long MilliValue(ResourceQuantity quantity) => (long)Math.Ceiling(quantity.ToDecimal() * 1000m);

    internal static string NameOf(V1Pod pod) => pod.Metadata?.Name ?? "";

    /// <summary>kube's <c>calculatePodRequestsFromContainers</c>.</summary>
    private static (long Request, string? Error) ContainerRequests(V1Pod pod, string? container, string resource)
    {
        long request = 0;
        foreach (var c in Containers(pod))
        {
            if (string.IsNullOrEmpty(container) || container == c.Name)
            {
                if (c.Resources?.Requests?.TryGetValue(resource, out var quantity) is not true)
                {
                    return (0, $"missing request for {resource} in container {c.Name} of Pod {NameOf(pod)}");
                }

                request += MilliValue(quantity!);
            }

            // Container names are unique within a pod.
            if (container == c.Name)
            {
                return (request, null);
            }
        }

        return string.IsNullOrEmpty(container) ? (request, null) : (0, $"container {container} not found in Pod {NameOf(pod)}");
    }

    /// <summary>The regular containers, then the init containers that keep running beside them.</summary>
    private static IEnumerable<V1Container> Containers(V1Pod pod) =>
        (pod.Spec?.Containers ?? []).Concat((pod.Spec?.InitContainers ?? []).Where(IsSidecar));

    private static bool IsSidecar(V1Container c) => c.RestartPolicy == "Always";

    /// <summary>kube's <c>IsPodLevelRequestsSet</c>.</summary>
    private static bool PodLevelRequestsSet(V1Pod pod) =>
        pod.Spec?.Resources?.Requests is { Count: > 0 } requests && requests.Keys.Any(PodLevel.Contains);

    /// <summary>
    /// kube's <c>calculatePodLevelRequests</c> over <c>resourcehelpers.PodRequests</c>: the pod-level request of a
    /// resource that can be set at pod level, else the containers' aggregate; plus the pod's overhead.
    /// </summary>
    private static (long Request, string? Error) PodLevelRequest(V1Pod pod, string resource)
    {
        long? request = PodLevel.Contains(resource) && pod.Spec!.Resources!.Requests.TryGetValue(resource, out var podLevel)
            ? MilliValue(podLevel)
            : AggregateContainerRequest(pod, resource);
        if (request is not { } value)
        {
            return (0, $"missing pod-level request for {resource} in Pod {NameOf(pod)}");
        }

        return pod.Spec!.Overhead?.TryGetValue(resource, out var overhead) is true ? (value + MilliValue(overhead), null) : (value, null);
    }

    /// <summary>
    /// kube's <c>AggregateContainerRequests</c> for one resource: the larger of what the running containers and
    /// sidecars request together and what any init container requests beside the sidecars started before it; null when
    /// no container requests the resource.
    /// </summary>
    private static long? AggregateContainerRequest(V1Pod pod, string resource)
    {
        long? Request(V1Container c) => c.Resources?.Requests?.TryGetValue(resource, out var q) is true ? MilliValue(q!) : null;

        long? running = null;
        foreach (var c in Containers(pod))
        {
            if (Request(c) is { } r)
            {
                running = (running ?? 0) + r;
            }
        }

        long? initMax = null;
        long sidecars = 0;
        foreach (var c in pod.Spec?.InitContainers ?? [])
        {
            if (Request(c) is not { } r)
            {
                continue;
            }

            if (IsSidecar(c))
            {
                sidecars += r;
                initMax = Math.Max(initMax ?? 0, sidecars);
            }
            else
            {
                initMax = Math.Max(initMax ?? 0, r + sidecars);
            }
        }

        return running is null && initMax is null ? null : Math.Max(running ?? 0, initMax ?? 0);
    }
}
