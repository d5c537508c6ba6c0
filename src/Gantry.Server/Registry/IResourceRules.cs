using Gantry.Core.Resources;
using Gantry.Core.Validation;
using k8s;
using k8s.Models;

namespace Gantry.Server.Registry;

/// <summary>
/// The type-specific rules of one resource, as Kubernetes' registry strategies hold them:
/// defaulting (applied on create and update before validation) and validation.
/// Generic metadata (uid, resourceVersion, generation, timestamps, name validation) is the
/// caller's job; these rules see typed objects that already decoded successfully.
/// </summary>
public interface IResourceRules
{
    ResourceType Type { get; }

    /// <summary>Fills in defaults, as the Kubernetes defaulters do, in place.</summary>
    void Default(IKubernetesObject<V1ObjectMeta> obj);

    /// <summary>
    /// Carries over into an update what the client may leave out but the server allocated (a
    /// Service's cluster IP), before defaulting and validation of the update.
    /// </summary>
    void PrepareForUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old);

    /// <summary>Spec validation for a new object (not metadata.name, which the caller checks).</summary>
    IReadOnlyList<FieldError> ValidateCreate(IKubernetesObject<V1ObjectMeta> obj);

    /// <summary>Validation of an update, including fields that are immutable once set.</summary>
    IReadOnlyList<FieldError> ValidateUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old);

    /// <summary>Validates a write to the status subresource, for which the registry kept all but the status from <paramref name="old"/>.</summary>
    IReadOnlyList<FieldError> ValidateStatusUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old);

    /// <summary>
    /// Validates a write to a pod's ephemeralcontainers subresource, for which the registry kept all but
    /// <c>spec.ephemeralContainers</c> from <paramref name="old"/>.
    /// </summary>
    IReadOnlyList<FieldError> ValidateEphemeralContainersUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old);
}
