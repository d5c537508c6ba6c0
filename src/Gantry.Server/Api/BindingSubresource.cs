using System.Text.Json.Nodes;
using Gantry.Server.Admission.Webhooks;
using Gantry.Server.Registry;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Api;

/// <summary><c>pods/{name}/binding</c>: a scheduler assigns a pod to a node (see <see cref="PodBinding"/>).</summary>
public sealed class BindingSubresource(ObjectRegistry registry, TimeProvider time)
{
    public async Task HandleAsync(HttpContext context, ResourcePath path)
    {
        var binding = await RequestBody.ReadObjectAsync(context).ConfigureAwait(false);
        var options = QueryOptions.Write(context);
        binding["apiVersion"] ??= "v1";
        binding["kind"] ??= "Binding";
        binding = await registry.AdmitSubresourceAsync(
                AdmissionAttributes.ForSubresource(AdmissionOperations.Create, path.Type, path.Namespace, path.Name!, "binding", binding, null, options.DryRun, options.User),
                options.Warnings, context.RequestAborted)
            .ConfigureAwait(false) ?? binding;
        var node = binding["target"]?["name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(node))
        {
            throw ApiException.Invalid(path.Type, path.Name!, [new(Core.Validation.FieldErrorType.Required, "target.name", "")]);
        }

        var uid = binding["metadata"]?["uid"]?.GetValue<string>();
        await PodBinding.BindAsync(registry, path.Namespace!, path.Name!, node, uid, options.DryRun, time, context.RequestAborted)
            .ConfigureAwait(false);
        await HttpResponses.WriteJsonAsync(context, 201, new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["code"] = 201,
        }, options.Warnings).ConfigureAwait(false);
    }
}
