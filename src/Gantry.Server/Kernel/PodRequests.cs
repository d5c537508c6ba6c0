using k8s.Models;

namespace Gantry.Server.Kernel;

/// <summary>
/// What a pod asks of a node, as the scheduler counts it: the sum of its containers' requests or,
/// if an init container asks for more of something, that; plus the pod overhead and one pod slot.
/// A container with a limit but no request requests its limit (the API's defaulting).
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

        foreach (var init in pod.Spec.InitContainers ?? [])
        {
            containers = containers.Max(RequestsOf(init));
        }

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
