using System.Text.Json.Nodes;
using Gantry.Core.Patching;
using Gantry.Server.Registry;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Api;

/// <summary>
/// PATCH in its four content types: JSON patch, JSON merge patch, strategic merge patch and
/// server-side apply (which creates the object when it does not exist yet).
/// </summary>
public sealed class PatchHandler(ObjectRegistry registry, TimeProvider time)
{
    public const string JsonPatchType = "application/json-patch+json";
    public const string MergePatchType = "application/merge-patch+json";
    public const string StrategicMergePatchType = "application/strategic-merge-patch+json";
    public const string ApplyPatchType = "application/apply-patch+yaml";

    /// <summary>Applies the request's patch; returns the object written and the write's options, for the answer.</summary>
    public async Task<(JsonObject Written, WriteOptions Options)> PatchAsync(HttpContext context, ResourcePath path)
    {
        var contentType = MediaType(context);
        var patch = await RequestBody.ReadAsync(context).ConfigureAwait(false);
        var options = QueryOptions.Write(context, path);
        JsonObject result;
        if (contentType == ApplyPatchType)
        {
            result = await ApplyAsync(context, path, patch, options).ConfigureAwait(false);
        }
        else
        {
            var apply = InServedVersion(path, options, Patcher(contentType, path, patch));
            result = await registry.MutateAsync(path.Type, path.Namespace, path.Name!, apply, null, path.Subresource, options, context.RequestAborted)
                .ConfigureAwait(false);
        }

        return (result, options);
    }

    /// <summary>The function that applies a non-apply patch to the current object.</summary>
    public static Func<JsonObject, JsonObject> Patcher(string contentType, ResourcePath path, JsonNode patch) => contentType switch
    {
        JsonPatchType => current => AsObject(JsonPatch.Apply(current, patch as JsonArray
            ?? throw ApiException.BadRequest("json patch must be an array of operations"))),
        MergePatchType => current => AsObject(JsonMergePatch.Apply(current, patch)),
        StrategicMergePatchType when path.Type.Custom is not null => throw ApiException.UnsupportedMediaType(contentType, strategicMerge: false),
        StrategicMergePatchType => current => AsObject(StrategicMergePatch.Apply(current, patch, PatchSchema.ForKind(path.Type.ApiVersion, path.Type.Kind))),
        _ => throw ApiException.UnsupportedMediaType(contentType),
    };

    /// <summary>
    /// A change made to the object as the request's version shows it, as kube patches an object in the version the
    /// request names: the stored object is converted to it, changed, and converted back.
    /// </summary>
    private static Func<JsonObject, CancellationToken, ValueTask<JsonObject>> InServedVersion(
        ResourcePath path, WriteOptions options, Func<JsonObject, JsonObject> change) =>
        path.Conversion is null
            ? (current, _) => ValueTask.FromResult(change(current))
            : async (current, cancellationToken) =>
                await path.ToStoredAsync(change(await path.ToServedAsync(current, cancellationToken).ConfigureAwait(false)), options, cancellationToken).ConfigureAwait(false);

    private async Task<JsonObject> ApplyAsync(HttpContext context, ResourcePath path, JsonNode patch, WriteOptions options)
    {
        var applied = patch as JsonObject ?? throw ApiException.BadRequest("an apply patch must be an object");
        var manager = QueryOptions.FieldManager(context)
            ?? throw ApiException.BadRequest("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
        var force = context.Request.Query["force"].ToString() == "true";
        var schema = PatchSchema.ForKind(path.Type.ApiVersion, path.Type.Kind);
        // As the apiserver: the object applied is the one the URL names (authorization saw the URL's name).
        if (applied["metadata"]?["name"]?.GetValue<string>() is { } named && named != path.Name)
        {
            throw ApiException.BadRequest($"the name of the object ({named}) does not match the name on the URL ({path.Name})");
        }

        if (registry.Get(path.Type, path.Namespace, path.Name!) is null && path.Subresource is null)
        {
            var fresh = ServerSideApply.Apply(null, applied, manager, force, schema, time.GetUtcNow());
            var stored = await path.ToStoredAsync(fresh.Object!, options, context.RequestAborted).ConfigureAwait(false);
            return await registry.CreateAsync(path.Type, path.Namespace, stored, options with { FieldManager = null }, context.RequestAborted).ConfigureAwait(false);
        }

        return await registry.MutateAsync(
            path.Type,
            path.Namespace,
            path.Name!,
            InServedVersion(path, options, current =>
            {
                var outcome = ServerSideApply.Apply(current, applied, manager, force, schema, time.GetUtcNow(), path.Subresource);
                return outcome.Succeeded ? outcome.Object! : throw ApplyConflicts.ToException(path, outcome);
            }),
            null,
            path.Subresource,
            options with { FieldManager = null },
            context.RequestAborted).ConfigureAwait(false);
    }

    private static JsonObject AsObject(JsonNode? node) =>
        node as JsonObject ?? throw ApiException.BadRequest("the patch must produce an object");

    public static string MediaType(HttpContext context)
    {
        var value = context.Request.ContentType ?? "";
        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        return (semicolon >= 0 ? value[..semicolon] : value).Trim().ToLowerInvariant();
    }
}
