using Gantry.Core.Resources;
using k8s;
using k8s.Models;

namespace Gantry.Server.Registry;

/// <summary>
/// A validating admission plugin that charges a write to accounts the registry stores (kube's ResourceQuota), run last
/// on the valid object, before anything is reserved (a create) or committed. The charge is itself a write through
/// <paramref name="registry"/>; a dry run is judged and charges nothing.
/// </summary>
public interface IQuotaAdmission
{
    /// <param name="ns">The request's namespace; null for a cluster-scoped kind, which no quota charges.</param>
    /// <param name="old">The stored object an update replaces; null for a create.</param>
    /// <exception cref="Api.ApiException">The object does not fit (403), or the accounts kept changing under it (409).</exception>
    Task ChargeAsync(
        ObjectRegistry registry,
        ResourceType type,
        string? ns,
        IKubernetesObject<V1ObjectMeta> obj,
        IKubernetesObject<V1ObjectMeta>? old,
        WriteOptions options,
        CancellationToken cancellationToken);
}
