using k8s.Models;

namespace Gantry.Server.Controllers.Volumes;

/// <summary>Which claims a pod uses: those its <c>spec.volumes[].persistentVolumeClaim.claimName</c> name.</summary>
public static class ClaimUse
{
    public static bool Names(V1Pod pod, string claimName)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.Spec?.Volumes?.Any(v => v.PersistentVolumeClaim?.ClaimName == claimName) == true;
    }

    public static IEnumerable<string> ClaimsOf(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return (pod.Spec?.Volumes ?? []).Select(v => v.PersistentVolumeClaim?.ClaimName).OfType<string>().Distinct(StringComparer.Ordinal);
    }
}
