using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Registry;
using k8s;
using k8s.Models;

namespace Gantry.Server.Informers;

/// <summary>
/// The typed client of the server's own loops (controllers, the scheduler): the same registry, rules
/// and optimistic concurrency as an HTTP request, without the HTTP hop. Failures are the
/// <see cref="ApiException"/>s a request would get (409 on a stale resourceVersion, 404, 422).
/// </summary>
public sealed class InProcessClient(ObjectRegistry registry, string fieldManager)
{
    public ObjectRegistry Registry => registry;

    public static ResourceType TypeOf<T>() => TypeCache<T>.Type;

    public async Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var type = TypeOf<T>();
        var created = await registry.CreateAsync(type, type.Namespaced ? obj.Namespace() : null, ToJson(type, obj), Options(), cancellationToken)
            .ConfigureAwait(false);
        return FromJson<T>(created);
    }

    /// <summary>Replaces the object (or its status); fails with 409 when it changed since it was read.</summary>
    public async Task<T> UpdateAsync<T>(T obj, CancellationToken cancellationToken, string? subresource = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var type = TypeOf<T>();
        var updated = await registry.UpdateAsync(type, type.Namespaced ? obj.Namespace() : null, obj.Name(), ToJson(type, obj), subresource, Options(), cancellationToken)
            .ConfigureAwait(false);
        return FromJson<T>(updated);
    }

    /// <summary>Applies <paramref name="mutate"/> to the current object, re-reading and retrying on concurrent changes.</summary>
    public async Task<T> MutateAsync<T>(string? ns, string name, Action<T> mutate, CancellationToken cancellationToken, string? subresource = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var type = TypeOf<T>();
        var result = await registry.MutateAsync(type, ns, name, json =>
        {
            var typed = FromJson<T>(json);
            mutate(typed);
            return ToJson(type, typed);
        }, null, subresource, Options(), cancellationToken).ConfigureAwait(false);
        return FromJson<T>(result);
    }

    /// <summary>
    /// <see cref="MutateAsync{T}"/> on the stored JSON, for a change that must not round-trip the object through its typed
    /// model (which drops fields it does not know), as a patch would not.
    /// </summary>
    public Task<JsonObject> MutateJsonAsync<T>(string? ns, string name, Func<JsonObject, JsonObject> mutate, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        MutateJsonAsync(TypeOf<T>(), ns, name, mutate, cancellationToken);

    /// <summary><see cref="MutateJsonAsync{T}"/> for a type known only when it runs, such as the target of a scale.</summary>
    public Task<JsonObject> MutateJsonAsync(ResourceType type, string? ns, string name, Func<JsonObject, JsonObject> mutate, CancellationToken cancellationToken) =>
        registry.MutateAsync(type, ns, name, mutate, null, null, Options(), cancellationToken);

    /// <summary><see cref="MutateJsonAsync(ResourceType, string?, string, Func{JsonObject, JsonObject}, CancellationToken)"/> with a change that may wait (a conversion).</summary>
    public Task<JsonObject> MutateJsonAsync(
        ResourceType type, string? ns, string name, Func<JsonObject, CancellationToken, ValueTask<JsonObject>> mutate, CancellationToken cancellationToken) =>
        registry.MutateAsync(type, ns, name, mutate, null, null, Options(), cancellationToken);

    public Task DeleteAsync<T>(string? ns, string name, DeleteRequest request, CancellationToken cancellationToken) =>
        registry.DeleteAsync(TypeOf<T>(), ns, name, request, cancellationToken);

    private WriteOptions Options() => new(FieldManager: fieldManager);

    private static JsonObject ToJson(ResourceType type, object obj)
    {
        var json = JsonNode.Parse(KubernetesJson.Serialize(obj))!.AsObject();
        json["apiVersion"] = type.ApiVersion;
        json["kind"] = type.Kind;
        return json;
    }

    private static T FromJson<T>(JsonObject json) => KubernetesJson.Deserialize<T>(json.ToJsonString());

    private static class TypeCache<T>
    {
        public static readonly ResourceType Type = ResourceCatalog.Types.FirstOrDefault(t => t.ModelType == typeof(T))
            ?? throw new InvalidOperationException($"{typeof(T).Name} is not a served resource");
    }
}
