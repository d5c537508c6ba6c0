using k8s.Models;

namespace Gantry.Server.Registry.Quota;

/// <summary>
/// kube's PersistentVolumeClaim quota evaluator: a claim charges its storage request (<c>requests.storage</c>, in whole
/// bytes, or what the volume was allocated if that is more) and, when it names a class, the claim and its storage to
/// <c>CLASS.storageclass.storage.k8s.io/persistentvolumeclaims</c> and <c>.../requests.storage</c>.
/// </summary>
internal static class ClaimUsage
{
    public const string RequestsStorage = "requests.storage";

    private const string StorageClassSuffix = ".storageclass.storage.k8s.io/";

    private const string BetaStorageClassAnnotation = "volume.beta.kubernetes.io/storage-class";

    /// <summary>What kube's evaluator matches: the claim counts and storage, per class too.</summary>
    private static readonly string[] Resources = ["persistentvolumeclaims", "count/persistentvolumeclaims", RequestsStorage];

    public static bool Tracks(string name) =>
        Resources.Contains(name) || Resources.Any(r => name.EndsWith(StorageClassSuffix + r, StringComparison.Ordinal));

    /// <summary>Adds the claim's storage, and its class's counts, to the counts <see cref="ObjectUsage"/> gave it.</summary>
    public static void Add(V1PersistentVolumeClaim claim, Dictionary<string, decimal> usage)
    {
        var storageClass = ClassOf(claim);
        if (storageClass.Length > 0)
        {
            usage[storageClass + StorageClassSuffix + "persistentvolumeclaims"] = 1;
        }

        if (Storage(claim) is not { } storage)
        {
            return;
        }

        usage[RequestsStorage] = storage;
        if (storageClass.Length > 0)
        {
            usage[storageClass + StorageClassSuffix + RequestsStorage] = storage;
        }
    }

    /// <summary>kube's <c>getStorageUsage</c>: the request rounded up to a byte, or the allocation if it is larger.</summary>
    private static decimal? Storage(V1PersistentVolumeClaim claim)
    {
        if (claim.Spec?.Resources?.Requests?.TryGetValue("storage", out var request) != true || request is null)
        {
            return null;
        }

        var amount = decimal.Ceiling(request.ToDecimal());
        if (claim.Status?.AllocatedResources?.TryGetValue("storage", out var allocated) == true && allocated is not null)
        {
            amount = Math.Max(amount, decimal.Ceiling(allocated.ToDecimal()));
        }

        return amount;
    }

    /// <summary>kube's <c>GetPersistentVolumeClaimClass</c>: the beta annotation, else the spec's class.</summary>
    private static string ClassOf(V1PersistentVolumeClaim claim) =>
        claim.Metadata?.Annotations?.TryGetValue(BetaStorageClassAnnotation, out var beta) == true ? beta : claim.Spec?.StorageClassName ?? "";
}
