using Gantry.Core.Resources;
using Gantry.Server.Storage;
using k8s;
using k8s.Models;

namespace Gantry.Server.Registry;

/// <summary>
/// Kubernetes' DefaultStorageClass admission plugin: a new claim that names no class (no <c>spec.storageClassName</c>,
/// not even <c>""</c>, and no beta class annotation) gets the default class, the one annotated
/// <c>storageclass.kubernetes.io/is-default-class: "true"</c>; of several, the newest (then the first by name), as kube
/// 1.28+ picks it. Kube's plugin mutates; it runs here with the write admissions, before quota charges the claim to its class.
/// </summary>
public sealed class DefaultStorageClassAdmission(WatchCache cache) : IWriteAdmission
{
    public const string IsDefaultAnnotation = "storageclass.kubernetes.io/is-default-class";
    public const string BetaIsDefaultAnnotation = "storageclass.beta.kubernetes.io/is-default-class";

    public void Admit(ResourceType type, string? ns, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta>? old, WriteOptions options)
    {
        if (old is not null || obj is not V1PersistentVolumeClaim claim || HasClass(claim))
        {
            return;
        }

        if (DefaultOf(StoredStorageClasses.List(cache)) is { } defaultClass)
        {
            (claim.Spec ??= new V1PersistentVolumeClaimSpec()).StorageClassName = defaultClass.Name();
        }
    }

    /// <summary>kube's <c>GetDefaultClass</c>: the newest default class, then the first by name; null when none is default.</summary>
    public static V1StorageClass? DefaultOf(IEnumerable<V1StorageClass> classes) =>
        classes.Where(IsDefault)
            .OrderByDescending(c => c.Metadata?.CreationTimestamp ?? DateTime.MinValue)
            .ThenBy(c => c.Name(), StringComparer.Ordinal)
            .FirstOrDefault();

    /// <summary>kube's <c>IsDefaultAnnotation</c>: either annotation, exactly "true".</summary>
    public static bool IsDefault(V1StorageClass storageClass)
    {
        ArgumentNullException.ThrowIfNull(storageClass);
        var annotations = storageClass.Metadata?.Annotations;
        return annotations is not null
            && ((annotations.TryGetValue(IsDefaultAnnotation, out var value) && value == "true")
                || (annotations.TryGetValue(BetaIsDefaultAnnotation, out var beta) && beta == "true"));
    }

    /// <summary>kube's <c>PersistentVolumeClaimHasClass</c>.</summary>
    private static bool HasClass(V1PersistentVolumeClaim claim) =>
        claim.Spec?.StorageClassName is not null
        || claim.Metadata?.Annotations?.ContainsKey(Rules.PersistentVolumeClaimRules.BetaStorageClassAnnotation) == true;
}
