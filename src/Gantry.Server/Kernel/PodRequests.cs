using k8s.Models;

namespace Gantry.Server.Kernel;

/// <summary>
/// What a pod asks of a node, as the scheduler counts it (Kubernetes' component-helpers PodRequests):
/// the containers and the sidecars (init containers with <c>restartPolicy: Always</c>), which run
/// together for the pod's life; or, if more of something, what any other init container needs while
/// it runs, which is its own request plus the sidecars started before it; plus the pod overhead and
/// one pod slot. A container with a limit but no request requests its limit (the API's defaulting).
/// </summary>
public static class PodRequests
{
    public static ResourceVector Of(V1Pod pod)
    {
        var containers = ResourceVector.Zero;
        foreach (var container in pod.Spec.Containers ?? [])
        {
            containers = containers.Add(RequestsOf(container));
        }

        var sidecars = ResourceVector.Zero;
        var initPeak = ResourceVector.Zero;
        foreach (var init in pod.Spec.InitContainers ?? [])
        {
            var requests = RequestsOf(init);
            // A sidecar's own peak (the sidecars up to it) never exceeds what all of them and the
            // containers hold together, so only the other init containers can raise the peak.
            if (init.RestartPolicy == "Always")
            {
                sidecars = sidecars.Add(requests);
            }
            else
            {
                initPeak = initPeak.Max(requests.Add(sidecars));
            }
        }

        containers = containers.Add(sidecars).Max(initPeak);

        var overhead = ResourceVector.From(pod.Spec.Overhead);
        return containers.Add(overhead).Add(ResourceVector.Zero with { Pods = 1 });
    }

    private static ResourceVector RequestsOf(V1Container container)
    {
        var requests = container.Resources?.Requests;
        var limits = container.Resources?.Limits;
        if (limits is null || limits.Count == 0)
        {
            return ResourceVector.From(requests);
        }

        var merged = new Dictionary<string, ResourceQuantity>(limits);
        foreach (var (name, quantity) in requests ?? new Dictionary<string, ResourceQuantity>())
        {
            merged[name] = quantity;
        }

        return ResourceVector.From(merged);
    }
}
