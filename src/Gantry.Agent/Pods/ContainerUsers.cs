using Gantry.Agent.Runtimes;
using k8s.Models;

namespace Gantry.Agent.Pods;

/// <summary>
/// A container's user from its effective securityContext, as kubelet's determineEffectiveSecurityContext merges it:
/// the container's runAsUser, runAsGroup and runAsNonRoot over the pod's; the pod's fsGroup then its supplementalGroups.
/// </summary>
public static class ContainerUsers
{
    public static ContainerUser Of(V1Pod pod, V1Container container)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        var podContext = pod.Spec?.SecurityContext;
        var own = container.SecurityContext;
        return new ContainerUser
        {
            RunAsUser = own?.RunAsUser ?? podContext?.RunAsUser,
            RunAsGroup = own?.RunAsGroup ?? podContext?.RunAsGroup,
            RunAsNonRoot = (own?.RunAsNonRoot ?? podContext?.RunAsNonRoot) == true,
            SupplementalGroups = [.. new[] { podContext?.FsGroup }.Concat(podContext?.SupplementalGroups ?? []).OfType<long>()],
        };
    }
}
