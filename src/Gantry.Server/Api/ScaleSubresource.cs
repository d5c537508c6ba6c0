using System.Text.Json.Nodes;
using Gantry.Core.Selectors;
using Gantry.Server.Admission.Webhooks;
using Gantry.Server.Registry;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Api;

/// <summary>
/// The <c>scale</c> subresource (autoscaling/v1 Scale) of replication controllers, replica sets, deployments,
/// stateful sets and the custom resources whose definition asks for one: reads and writes the replicas
/// (<c>spec.replicas</c>, or where the definition says), honouring a resourceVersion in the Scale body.
/// </summary>
public sealed class ScaleSubresource(ObjectRegistry registry)
{
    public async Task HandleAsync(HttpContext context, ResourcePath path)
    {
        var stored = JsonNode.Parse(registry.GetRequired(path.Type, path.Namespace, path.Name!).Json)!.AsObject();
        switch (context.Request.Method)
        {
            case "GET":
                await HttpResponses.WriteJsonAsync(context, 200, await ScaleOfAsync(path, stored, context.RequestAborted).ConfigureAwait(false))
                    .ConfigureAwait(false);
                return;
            case "PUT":
            {
                var body = await RequestBody.ReadObjectAsync(context).ConfigureAwait(false);
                await WriteReplicasAsync(context, path, stored, _ => body).ConfigureAwait(false);
                return;
            }

            case "PATCH":
            {
                var contentType = PatchHandler.MediaType(context);
                var patch = await RequestBody.ReadAsync(context).ConfigureAwait(false);
                // A Scale has no merge keys, so a strategic merge patch of it is a JSON merge patch; custom resources take none.
                if (path.Type.Custom is not null && contentType == PatchHandler.StrategicMergePatchType)
                {
                    throw ApiException.UnsupportedMediaType(contentType, strategicMerge: false);
                }

                var apply = PatchHandler.Patcher(
                    contentType == PatchHandler.StrategicMergePatchType ? PatchHandler.MergePatchType : contentType, path, patch);
                await WriteReplicasAsync(context, path, stored, apply).ConfigureAwait(false);
                return;
            }
        }

        throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
    }

    private async Task WriteReplicasAsync(HttpContext context, ResourcePath path, JsonObject stored, Func<JsonObject, JsonObject> changeScale)
    {
        var options = QueryOptions.Write(context);
        // The webhooks see the Scale written, not the object it changes, once, against the object read; the replicas a
        // mutating webhook sets are kept.
        var admissionWarnings = new List<string>();
        JsonObject? admitted = null;
        if (registry.WebhooksSee(path.Type, AdmissionOperations.Update, "scale"))
        {
            var oldScale = await ScaleOfAsync(path, stored, context.RequestAborted).ConfigureAwait(false);
            var scale = AdmissionAttributes.ForSubresource(
                AdmissionOperations.Update, path.Type, path.Namespace, path.Name!, "scale", changeScale(oldScale.DeepClone().AsObject()), oldScale, options.DryRun,
                options.User, path.Conversion is null ? null : path.Served.ApiVersion);
            admitted = await registry.AdmitSubresourceAsync(scale, admissionWarnings, context.RequestAborted).ConfigureAwait(false);
        }

        if (admitted is not null)
        {
            var requested = changeScale;
            changeScale = scale =>
            {
                var changed = requested(scale);
                changed["spec"] = admitted["spec"]?.DeepClone();
                return changed;
            };
        }

        var updated = await registry.MutateAsync(
            path.Type,
            path.Namespace,
            path.Name!,
            async (stored, cancellationToken) =>
            {
                var current = await path.ToServedAsync(stored, cancellationToken).ConfigureAwait(false);
                var scale = changeScale(ToScale(current, path.Served));
                var wanted = scale["metadata"]?["resourceVersion"]?.GetValue<string>();
                if (!string.IsNullOrEmpty(wanted) && wanted != ObjectMetadata.ResourceVersion(current))
                {
                    throw ApiException.Conflict(path.Type, path.Name!);
                }

                var replicas = scale["spec"]?["replicas"];
                if (replicas is null || replicas.GetValueKind() != System.Text.Json.JsonValueKind.Number || replicas.GetValue<int>() < 0)
                {
                    throw ApiException.Invalid(path.Type, path.Name!, [new(Core.Validation.FieldErrorType.Invalid, "spec.replicas", "must be greater than or equal to 0", replicas?.ToJsonString())]);
                }

                ScalePaths.Of(path.Served).SetSpecReplicas(current, replicas.GetValue<int>());
                return await path.ToStoredAsync(current, options, cancellationToken).ConfigureAwait(false);
            },
            null,
            null,
            options with { WebhooksAdmitted = true },
            context.RequestAborted).ConfigureAwait(false);
        var written = await ScaleOfAsync(path, updated, context.RequestAborted).ConfigureAwait(false);
        await HttpResponses.WriteJsonAsync(context, 200, written, [.. admissionWarnings, .. options.Warnings]).ConfigureAwait(false);
    }

    /// <summary>The Scale of a stored object: a custom resource's scale paths are its served version's, so read in that version.</summary>
    private static async Task<JsonObject> ScaleOfAsync(ResourcePath path, JsonObject stored, CancellationToken cancellationToken) =>
        ToScale(await path.ToServedAsync(stored, cancellationToken).ConfigureAwait(false), path.Served);

    /// <summary>The Scale of a built-in workload.</summary>
    public static JsonObject ToScale(JsonObject obj) => ToScale(obj, null);

    /// <summary>The Scale of an object of <paramref name="type"/>: a custom resource's at its definition's paths.</summary>
    public static JsonObject ToScale(JsonObject obj, Core.Resources.ResourceType? type)
    {
        var paths = type is null ? ScalePaths.BuiltIn : ScalePaths.Of(type);
        var metadata = obj["metadata"]!;
        var scale = new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = metadata["name"]?.DeepClone(),
                ["namespace"] = metadata["namespace"]?.DeepClone(),
                ["uid"] = metadata["uid"]?.DeepClone(),
                ["resourceVersion"] = metadata["resourceVersion"]?.DeepClone(),
                ["creationTimestamp"] = metadata["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = paths.SpecReplicas(obj) },
            ["status"] = new JsonObject
            {
                ["replicas"] = paths.StatusReplicas(obj),
                ["selector"] = paths.LabelSelector is { } labelSelector ? labelSelector(obj) : SelectorText(obj["spec"]?["selector"]),
            },
        };
        // An empty selector is left out, as Scale's omitempty leaves it (a custom resource without labelSelectorPath).
        if (scale["status"]!["selector"] is not JsonValue selector || (selector.TryGetValue<string>(out var text) && text.Length == 0))
        {
            scale["status"]!.AsObject().Remove("selector");
        }

        return scale;
    }

    /// <summary>RCs select with a plain map, apps types with a LabelSelector; both print as <c>app=web</c>.</summary>
    private static string SelectorText(JsonNode? selector)
    {
        if (selector is not JsonObject map)
        {
            return "";
        }

        if (map.ContainsKey("matchLabels") || map.ContainsKey("matchExpressions"))
        {
            var model = System.Text.Json.JsonSerializer.Deserialize<V1LabelSelector>(map.ToJsonString());
            return LabelSelector.FromModel(model).ToString();
        }

        return string.Join(",", map.Select(kv => $"{kv.Key}={kv.Value?.GetValue<string>()}"));
    }
}
