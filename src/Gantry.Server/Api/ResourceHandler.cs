using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Admission.Webhooks;
using Gantry.Server.Api.Proxy;
using Gantry.Server.Api.Tables;
using Gantry.Server.Registry;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Api;

/// <summary>Serves the verbs on a resource path: get, list, watch, create, update, patch, delete, deletecollection.</summary>
public sealed class ResourceHandler(
    ObjectRegistry registry,
    CollectionWriter collections,
    PatchHandler patches,
    NodeProxy nodes,
    ProxySubresource proxy,
    TokenRequestSubresource tokens,
    TimeProvider time)
{
    public async Task HandleAsync(HttpContext context, ResourcePath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            await HandleStoredAsync(context, path).ConfigureAwait(false);
        }
        catch (ApiException ex) when (path.Served.Group != path.Type.Group)
        {
            throw ex.AsServed(path.Type, path.Served);
        }
    }

    private async Task HandleStoredAsync(HttpContext context, ResourcePath path)
    {
        var method = context.Request.Method;
        if (path.Subresource is not null)
        {
            await HandleSubresourceAsync(context, path).ConfigureAwait(false);
            return;
        }

        if (path.Name is null)
        {
            switch (method)
            {
                case "GET" when context.Request.Query["watch"] is var w && (w == "true" || w == "1"):
                    await collections.WriteWatchAsync(context, path).ConfigureAwait(false);
                    return;
                case "GET":
                    await collections.WriteListAsync(context, path).ConfigureAwait(false);
                    return;
                case "POST":
                    await CreateAsync(context, path).ConfigureAwait(false);
                    return;
                case "DELETE":
                    await DeleteCollectionAsync(context, path).ConfigureAwait(false);
                    return;
            }
        }
        else
        {
            switch (method)
            {
                case "GET":
                    await WriteStoredAsync(context, path, registry.GetRequired(path.Type, path.Namespace, path.Name).Json).ConfigureAwait(false);
                    return;
                case "PUT":
                    await UpdateAsync(context, path).ConfigureAwait(false);
                    return;
                case "PATCH":
                    await PatchAsync(context, path).ConfigureAwait(false);
                    return;
                case "DELETE":
                    await DeleteAsync(context, path).ConfigureAwait(false);
                    return;
            }
        }

        throw ApiException.MethodNotAllowed($"the server does not allow this method on the requested resource");
    }

    private async Task CreateAsync(HttpContext context, ResourcePath path)
    {
        var options = QueryOptions.Write(context, path);
        var body = await path.ToStoredAsync(await RequestBody.ReadObjectAsync(context).ConfigureAwait(false), options, context.RequestAborted).ConfigureAwait(false);
        var created = await registry.CreateAsync(path.Type, path.Namespace, body, options, context.RequestAborted).ConfigureAwait(false);
        await WriteWrittenAsync(context, 201, path, created, options).ConfigureAwait(false);
    }

    private async Task UpdateAsync(HttpContext context, ResourcePath path)
    {
        var options = QueryOptions.Write(context, path);
        var body = await path.ToStoredAsync(await RequestBody.ReadObjectAsync(context).ConfigureAwait(false), options, context.RequestAborted).ConfigureAwait(false);
        var updated = await registry.UpdateAsync(path.Type, path.Namespace, path.Name!, body, path.Subresource, options, context.RequestAborted)
            .ConfigureAwait(false);
        await WriteWrittenAsync(context, 200, path, updated, options).ConfigureAwait(false);
    }

    private async Task PatchAsync(HttpContext context, ResourcePath path)
    {
        var (patched, options) = await patches.PatchAsync(context, path).ConfigureAwait(false);
        await WriteWrittenAsync(context, 200, path, patched, options).ConfigureAwait(false);
    }

    private async Task DeleteAsync(HttpContext context, ResourcePath path)
    {
        var request = QueryOptions.Delete(context, await ReadOptionalBodyAsync(context).ConfigureAwait(false));
        if (path.ConversionMayFail && registry.Get(path.Type, path.Namespace, path.Name!) is { } stored)
        {
            // kube reads the object through its conversion before deleting it: a conversion that fails deletes nothing.
            await path.ToServedAsync(JsonNode.Parse(stored.Json)!.AsObject(), context.RequestAborted).ConfigureAwait(false);
        }

        var result = await registry.DeleteAsync(path.Type, path.Namespace, path.Name!, request, context.RequestAborted).ConfigureAwait(false);
        await WriteObjectAsync(context, ObjectMetadata.IsDeleting(result) ? 202 : 200, path, result).ConfigureAwait(false);
    }

    private async Task DeleteCollectionAsync(HttpContext context, ResourcePath path)
    {
        var request = QueryOptions.Delete(context, await ReadOptionalBodyAsync(context).ConfigureAwait(false));
        var (items, revision, _) = registry.Cache.List(path.Type.KeyPrefix, QueryOptions.Filter(context, path));
        if (path.ConversionMayFail)
        {
            // kube lists the collection through its conversion before deleting any of it.
            await path.ToServedAsync([.. items.Select(i => JsonNode.Parse(i.Json)!.AsObject())], context.RequestAborted).ConfigureAwait(false);
        }

        var deleted = new List<JsonObject>();
        foreach (var item in items)
        {
            var obj = JsonNode.Parse(item.Json)!.AsObject();
            try
            {
                deleted.Add(await registry.DeleteAsync(path.Type, ObjectMetadata.Namespace(obj), ObjectMetadata.Name(obj)!, request, context.RequestAborted)
                    .ConfigureAwait(false));
            }
            catch (ApiException ex) when (ex.Code == 404)
            {
                // Deleted meanwhile by someone else: the collection is still gone, as asked.
            }
        }

        var list = new JsonObject
        {
            ["kind"] = path.Served.ListKind,
            ["apiVersion"] = path.Served.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["items"] = new JsonArray([.. await path.ToServedAsync(deleted, context.RequestAborted).ConfigureAwait(false)]),
        };
        await HttpResponses.WriteJsonAsync(context, 200, list).ConfigureAwait(false);
    }

    private async Task HandleSubresourceAsync(HttpContext context, ResourcePath path)
    {
        switch (path.Subresource, context.Request.Method)
        {
            // A pod's ephemeral containers are read and written as the whole pod, as kube's EphemeralContainersREST does.
            case ("status" or "ephemeralcontainers" or "approval", "GET"):
                await WriteStoredAsync(context, path, registry.GetRequired(path.Type, path.Namespace, path.Name!).Json).ConfigureAwait(false);
                return;
            case ("status" or "ephemeralcontainers" or "approval", "PUT"):
                await UpdateAsync(context, path).ConfigureAwait(false);
                return;
            case ("status" or "ephemeralcontainers" or "approval", "PATCH"):
                await PatchAsync(context, path).ConfigureAwait(false);
                return;
            case ("finalize", "PUT"):
                await UpdateAsync(context, path with { Subresource = null }).ConfigureAwait(false);
                return;
            case ("scale", _):
                await new ScaleSubresource(registry).HandleAsync(context, path).ConfigureAwait(false);
                return;
            case ("binding", "POST"):
                await new BindingSubresource(registry, time).HandleAsync(context, path).ConfigureAwait(false);
                return;
            case ("token", "POST"):
                await tokens.HandleAsync(context, path).ConfigureAwait(false);
                return;
            case ("eviction", "POST"):
                await new EvictionSubresource(registry, time).HandleAsync(context, path).ConfigureAwait(false);
                return;
            case ("log", _):
                await LogAsync(context, path).ConfigureAwait(false);
                return;
            case ("exec" or "attach" or "portforward", _):
                await NodeStreamAsync(context, path).ConfigureAwait(false);
                return;
            case ("proxy", "GET" or "HEAD" or "POST" or "PUT" or "PATCH" or "DELETE" or "OPTIONS"):
                await proxy.HandleAsync(context, path).ConfigureAwait(false);
                return;
        }

        throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
    }

    /// <summary>
    /// The options are decoded and validated before the pod is read, as kube-apiserver does: a bad query is refused
    /// whatever the pod, even one that does not exist, and reaches no agent. The container comes next; a pod on no
    /// node yet has no log to show, and the answer is empty, as kube's is.
    /// </summary>
    private Task LogAsync(HttpContext context, ResourcePath path)
    {
        var options = PodLogOptions.FromQuery(context.Request.Query, path.Name!);
        var pod = JsonNode.Parse(registry.GetRequired(path.Type, path.Namespace, path.Name!).Json)!;
        var container = PodStreamContainer.Resolve(pod, path.Name!, context.Request.Query["container"].FirstOrDefault(), forLogs: true);
        if (string.IsNullOrEmpty(pod["spec"]?["nodeName"]?.GetValue<string>()))
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "text/plain";
            return Task.CompletedTask;
        }

        return nodes.ProxyLogAsync(context, path, pod, container, options);
    }

    /// <summary>Exec, attach and port-forward are served by the pod's node; the container is checked first, as kube does.</summary>
    private async Task NodeStreamAsync(HttpContext context, ResourcePath path)
    {
        var pod = JsonNode.Parse(registry.GetRequired(path.Type, path.Namespace, path.Name!).Json)!;
        var container = path.Subresource == "portforward"
            ? null
            : PodStreamContainer.Resolve(pod, path.Name!, context.Request.Query["container"].FirstOrDefault(), forLogs: false);
        if (string.IsNullOrEmpty(pod["spec"]?["nodeName"]?.GetValue<string>()))
        {
            throw ApiException.BadRequest($"pod {path.Name} does not have a host assigned");
        }

        if (pod["status"]?["phase"]?.GetValue<string>() is "Succeeded" or "Failed")
        {
            throw ApiException.BadRequest($"cannot {path.Subresource} into a container in a completed pod; current phase is {pod["status"]!["phase"]}");
        }

        // The webhooks that see CONNECT see the connection's options; a patch of them is not taken, and their warnings
        // have no answer to go in (the connection is upgraded).
        if (registry.WebhooksSee(path.Type, AdmissionOperations.Connect, path.Subresource))
        {
            var connection = AdmissionAttributes.ForSubresource(
                AdmissionOperations.Connect, path.Type, path.Namespace, path.Name!, path.Subresource!, ConnectOptions.Of(path.Subresource!, context.Request.Query), null,
                dryRun: false, Security.RequestUser.Of(context));
            await registry.AdmitSubresourceAsync(connection, [], context.RequestAborted).ConfigureAwait(false);
        }

        await nodes.ProxyUpgradeAsync(context, path, pod, container).ConfigureAwait(false);
    }

    private static async Task<JsonObject?> ReadOptionalBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength is 0 || (context.Request.ContentLength is null && context.Request.Headers.TransferEncoding.Count == 0))
        {
            return null;
        }

        return await RequestBody.ReadAsync(context).ConfigureAwait(false) as JsonObject;
    }

    /// <summary>
    /// A stored object as it is cached, unless the client asked for a table (printed from the stored version) or for
    /// a version the object is converted to.
    /// </summary>
    private Task WriteStoredAsync(HttpContext context, ResourcePath path, byte[] json) =>
        CollectionWriter.WantsTable(context) || path.Conversion is not null
            ? WriteObjectAsync(context, 200, path, JsonNode.Parse(json)!.AsObject())
            : HttpResponses.WriteBytesAsync(context, 200, json, HttpResponses.Json);

    /// <summary>
    /// Answers a write with the object written. It was serialized once already to be stored, so the cache's bytes of
    /// that revision are sent when the cache still holds it (a dry run's object never is).
    /// </summary>
    private Task WriteWrittenAsync(HttpContext context, int status, ResourcePath path, JsonObject written, WriteOptions options) =>
        !options.DryRun && !CollectionWriter.WantsTable(context) && path.Conversion is null && registry.CachedJson(path.Type, written) is { } json
            ? HttpResponses.WriteBytesAsync(context, status, json, HttpResponses.Json, options.Warnings)
            : WriteObjectAsync(context, status, path, written, options.Warnings);

    /// <summary>A stored object in the request's version, or as a table.</summary>
    private async Task WriteObjectAsync(HttpContext context, int status, ResourcePath path, JsonObject stored, IEnumerable<string>? warnings = null)
    {
        if (CollectionWriter.WantsTable(context) && stored["kind"]?.GetValue<string>() != "Status")
        {
            var (printed, served) = await CollectionWriter.PrintedAsync(path, [stored], context.RequestAborted).ConfigureAwait(false);
            await WriteTableAsync(context, status, path.PrintedType, printed[0], served, warnings).ConfigureAwait(false);
            return;
        }

        await HttpResponses.WriteJsonAsync(context, status, await path.ToServedAsync(stored, context.RequestAborted).ConfigureAwait(false), warnings)
            .ConfigureAwait(false);
    }

    public Task WriteObjectAsync(HttpContext context, int status, JsonObject obj, IEnumerable<string>? warnings = null)
    {
        if (CollectionWriter.WantsTable(context) && obj["kind"]?.GetValue<string>() is { } kind && kind != "Status")
        {
            var type = Core.Resources.ResourceCatalog.FindByKind(obj["apiVersion"]?.GetValue<string>() ?? "", kind);
            if (type is not null)
            {
                return WriteTableAsync(context, status, type, obj, null, warnings);
            }
        }

        return HttpResponses.WriteJsonAsync(context, status, obj, warnings);
    }

    private Task WriteTableAsync(
        HttpContext context, int status, ResourceType type, JsonObject stored, Func<JsonObject, JsonObject>? served, IEnumerable<string>? warnings)
    {
        var table = TableConverter.ForObject(type, stored, time.GetUtcNow(), CollectionWriter.IncludeObject(context), served);
        return HttpResponses.WriteBytesAsync(context, status, System.Text.Encoding.UTF8.GetBytes(table.ToJsonString()), TableConverter.ContentType, warnings);
    }
}
