using Gantry.Core.Resources;
using Gantry.Core.Volumes;
using Gantry.Server.Api;
using Gantry.Server.Storage;
using k8s;
using k8s.Models;

namespace Gantry.Server.Registry;

/// <summary>
/// Kubernetes' PersistentVolumeClaimResize admission plugin: a claim may ask for more storage only when its class, the
/// same before and after, allows volume expansion (<c>allowVolumeExpansion: true</c>). The local-path class does not: a
/// directory has no size to grow.
/// </summary>
public sealed class ClaimResizeAdmission(WatchCache cache) : IWriteAdmission
{
    public void Admit(ResourceType type, string? ns, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta>? old, WriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (obj is not V1PersistentVolumeClaim claim || old is not V1PersistentVolumeClaim previous
            || PersistentVolumeMatch.Requested(claim) <= PersistentVolumeMatch.Requested(previous) || AllowsResize(claim, previous))
        {
            return;
        }

        throw ApiException.Forbidden(type, claim.Name(),
            "only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize");
    }

    /// <summary>kube's <c>allowResize</c>: one class before and after, which exists and says it allows expansion.</summary>
    private bool AllowsResize(V1PersistentVolumeClaim claim, V1PersistentVolumeClaim previous)
    {
        var className = PersistentVolumeMatch.ClassOf(claim);
        return className.Length > 0 && className == PersistentVolumeMatch.ClassOf(previous)
            && StoredStorageClasses.Get(cache, className)?.AllowVolumeExpansion == true;
    }
}
