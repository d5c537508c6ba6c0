using k8s.Models;

namespace Gantry.Agent.Pods;

/// <summary>
/// Kubernetes' sidecar containers: init containers with <c>restartPolicy: Always</c>. Each starts in its turn among
/// the init containers, and the next one waits only until it has started (its startup probe passed), not until it
/// exits. It then runs beside the regular containers, probed and restarted like them whatever the pod's restart
/// policy, until they have all ended for good; it is stopped after them, in reverse order.
/// </summary>
public static class Sidecars
{
    public static bool Is(V1Container container)
    {
        ArgumentNullException.ThrowIfNull(container);
        return container.RestartPolicy == "Always";
    }

    public static IEnumerable<V1Container> Of(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return (pod.Spec.InitContainers ?? []).Where(Is);
    }
}
