using Gantry.Core.Resources;
using Gantry.Core.Validation;
using k8s;
using k8s.Models;

namespace Gantry.Server.Registry;

/// <summary>Typed base for <see cref="IResourceRules"/>: override only what the resource needs.</summary>
public abstract class ResourceRules<T>(ResourceType type) : IResourceRules
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    public ResourceType Type { get; } = type;

    protected virtual void Default(T obj)
    {
    }

    protected virtual void PrepareForUpdate(T obj, T old)
    {
    }

    protected virtual void Validate(T obj, List<FieldError> errors)
    {
    }

    /// <summary>Validates the new object as on create, plus immutability against <paramref name="old"/>.</summary>
    protected virtual void ValidateUpdate(T obj, T old, List<FieldError> errors) => Validate(obj, errors);

    /// <summary>Validates a status write; unless the resource has a status strategy of its own, as any update.</summary>
    protected virtual void ValidateStatusUpdate(T obj, T old, List<FieldError> errors) => ValidateUpdate(obj, old, errors);

    /// <summary>Validates a write to the ephemeralcontainers subresource; only pods serve it.</summary>
    protected virtual void ValidateEphemeralContainersUpdate(T obj, T old, List<FieldError> errors) => ValidateUpdate(obj, old, errors);

    void IResourceRules.Default(IKubernetesObject<V1ObjectMeta> obj) => Default((T)obj);

    void IResourceRules.PrepareForUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old) =>
        PrepareForUpdate((T)obj, (T)old);

    IReadOnlyList<FieldError> IResourceRules.ValidateCreate(IKubernetesObject<V1ObjectMeta> obj)
    {
        var errors = new List<FieldError>();
        Validate((T)obj, errors);
        return errors;
    }

    IReadOnlyList<FieldError> IResourceRules.ValidateUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        var errors = new List<FieldError>();
        ValidateUpdate((T)obj, (T)old, errors);
        return errors;
    }

    IReadOnlyList<FieldError> IResourceRules.ValidateStatusUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        var errors = new List<FieldError>();
        ValidateStatusUpdate((T)obj, (T)old, errors);
        return errors;
    }

    IReadOnlyList<FieldError> IResourceRules.ValidateEphemeralContainersUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        var errors = new List<FieldError>();
        ValidateEphemeralContainersUpdate((T)obj, (T)old, errors);
        return errors;
    }
}
