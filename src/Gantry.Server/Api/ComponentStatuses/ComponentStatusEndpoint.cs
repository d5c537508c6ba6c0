using System.Text;
using System.Text.Json.Nodes;
using Gantry.Server.Api.Tables;
using Gantry.Server.Informers;
using Gantry.Server.Scheduling;
using Gantry.Server.Security;
using Gantry.Server.Storage;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Api.ComponentStatuses;

/// <summary>
/// Serves <c>/api/v1/componentstatuses</c> as kube-apiserver does, with the components a Gantry server runs in its own
/// process: the <c>scheduler</c> (healthy while its loop runs), the <c>controller-manager</c> (healthy once the
/// informers its controllers read have synced) and the store, <c>store-0</c> where kube lists <c>etcd-0</c> (healthy
/// while it accepts writes). Each is <c>Healthy</c> True with message <c>ok</c>, or False with the reason as its
/// error. Every answer carries kube's deprecation warning.
/// </summary>
public sealed class ComponentStatusEndpoint(IVersionedStore store, PodScheduler scheduler, SharedInformers informers, RequestAuthorizer authorizer, TimeProvider time)
{
    private static readonly Gantry.Core.Resources.ResourceType Type = ComponentStatusTypes.ComponentStatuses;

    public static bool Matches(string[] segments) => segments is ["api", "v1", "componentstatuses", ..] and { Length: <= 4 };

    public async Task HandleAsync(HttpContext context, string[] segments)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(segments);
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }

        var name = segments.Length == 4 ? segments[3] : null;
        authorizer.Authorize(context, Type, new RequestAttributes(name is null ? "list" : "get", "", Type.Plural, null, null, name));
        context.Response.Headers.Append("Warning", $"299 - \"{ComponentStatusTypes.Deprecation}\"");
        var items = Components();
        if (name is not null)
        {
            items = [items.FirstOrDefault(c => (string?)c["metadata"]!["name"] == name) ?? throw ApiException.NotFound(Type, name)];
        }

        if (CollectionWriter.WantsTable(context))
        {
            var table = TableConverter.ForList(Type, items, time.GetUtcNow(), CollectionWriter.IncludeObject(context), null, null);
            await HttpResponses.WriteBytesAsync(context, 200, Encoding.UTF8.GetBytes(table.ToJsonString()), TableConverter.ContentType).ConfigureAwait(false);
            return;
        }

        var body = name is not null
            ? items[0]
            : new JsonObject
            {
                ["kind"] = Type.ListKind,
                ["apiVersion"] = "v1",
                ["metadata"] = new JsonObject(),
                ["items"] = new JsonArray([.. items]),
            };
        await HttpResponses.WriteJsonAsync(context, 200, body).ConfigureAwait(false);
    }

    private List<JsonObject> Components() =>
    [
        Component("controller-manager", informers.HasSynced() ? null : "informers have not synced"),
        Component("scheduler", scheduler.ExecuteTask is { IsCompleted: false } ? null : "the scheduling loop is not running"),
        Component("store-0", store.Failure is { } failure ? failure.Message : null),
    ];

    private static JsonObject Component(string name, string? error)
    {
        var condition = new JsonObject { ["type"] = "Healthy", ["status"] = error is null ? "True" : "False" };
        if (error is null)
        {
            condition["message"] = "ok";
        }
        else
        {
            condition["error"] = error;
        }

        return new JsonObject
        {
            ["kind"] = Type.Kind,
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["conditions"] = new JsonArray(condition),
        };
    }
}
