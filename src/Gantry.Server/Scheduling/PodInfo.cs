using Gantry.Server.Kernel;
using k8s.Models;

namespace Gantry.Server.Scheduling;

/// <summary>A pod being scheduled, with what it requests computed once.</summary>
public sealed record PodInfo(V1Pod Pod, ResourceVector Requests)
{
    public static PodInfo Of(V1Pod pod) => new(pod, PodRequests.Of(pod));
}
