using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ProtoCall = global::Mesos.V1.Master.Call;
using ProtoResponse = global::Mesos.V1.Master.Response;

namespace Gantry.Server.Mesos;

/// <summary>
/// <c>POST /api/v1</c>, the master's v1 operator API as the <c>mesos</c> CLI, dashboards and operators' scripts call it, in
/// its JSON and protobuf forms (the answer in the form the <c>Accept</c> header allows, JSON first). Gantry answers what
/// its master knows: health, version, the master, agents, frameworks, tasks, roles and the whole state, and tears a
/// framework down. Calls about what Gantry does not have (executors' files, maintenance, reservations and volumes,
/// quotas, flags, logging levels, its metrics, the event stream) are answered 501 Not Implemented.
/// </summary>
public sealed class OperatorEndpoint(MesosMaster master)
{
    /// <summary>The operator API shares its path with Kubernetes' core group, which is only ever read (GET) there.</summary>
    public static bool Matches(string[] segments, string method) => segments is ["api", "v1"] && HttpMethods.IsPost(method);

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (!master.Recovered)
        {
            await new MesosCallError(503, "Master has not finished recovery").WriteAsync(context).ConfigureAwait(false);
            return;
        }

        var (call, unreadable) = await MesosCallBody.ReadAsync(request, ProtoCall.Descriptor, context.RequestAborted).ConfigureAwait(false);
        if (call is null)
        {
            await unreadable!.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        if (call["type"] is not JsonValue typeValue || !typeValue.TryGetValue<string>(out var type))
        {
            await new MesosCallError(400, "Failed to validate master::Call: Expecting 'type' to be present").WriteAsync(context).ConfigureAwait(false);
            return;
        }

        if (MesosMediaType.ForAnswer(request) is not { } accepted)
        {
            await new MesosCallError(406,
                $"Expecting 'Accept' to allow '{MesosMediaType.Protobuf}' or '{MesosMediaType.Json}'").WriteAsync(context).ConfigureAwait(false);
            return;
        }

        var local = context.Connection.LocalIpAddress ?? IPAddress.Loopback;
        JsonObject? answer = type switch
        {
            "GET_HEALTH" => new JsonObject { ["healthy"] = true },
            "GET_VERSION" => MesosMaster.GetVersion(),
            "GET_MASTER" => master.GetMaster(request.Host.Host, local.IsIPv4MappedToIPv6 ? local.MapToIPv4() : local, context.Connection.LocalPort),
            "GET_STATE" => master.GetState(),
            "GET_AGENTS" => master.GetAgents(),
            "GET_FRAMEWORKS" => master.GetFrameworks(),
            "GET_TASKS" => master.GetTasks(),
            "GET_EXECUTORS" => new JsonObject { ["executors"] = new JsonArray() },
            "GET_OPERATIONS" => new JsonObject { ["operations"] = new JsonArray() },
            "GET_ROLES" => master.GetRoles(),
            _ => null,
        };
        if (answer is not null)
        {
            await AnswerAsync(context, type, answer, accepted).ConfigureAwait(false);
            return;
        }

        if (type == "TEARDOWN")
        {
            // The body was read into the Call message: where these fields are, they are of their types.
            var frameworkId = call["teardown"]?["framework_id"]?["value"]?.GetValue<string>();
            if (frameworkId is null)
            {
                await new MesosCallError(400, "Failed to validate master::Call: Expecting 'teardown' to be present").WriteAsync(context).ConfigureAwait(false);
                return;
            }

            if (!await master.TearDownByOperatorAsync(frameworkId).ConfigureAwait(false))
            {
                await new MesosCallError(400, "No framework found with specified ID").WriteAsync(context).ConfigureAwait(false);
                return;
            }

            context.Response.StatusCode = 200;
            return;
        }

        await new MesosCallError(501, $"{type} is not supported by Gantry's master").WriteAsync(context).ConfigureAwait(false);
    }

    private static async Task AnswerAsync(HttpContext context, string type, JsonObject answer, string mediaType)
    {
        var response = new JsonObject { ["type"] = type, [type.ToLowerInvariant()] = answer };
        var body = mediaType == MesosMediaType.Protobuf ? MesosProtobuf.Write(ProtoResponse.Descriptor, response) : Encoding.UTF8.GetBytes(response.ToJsonString());
        context.Response.StatusCode = 200;
        context.Response.ContentType = mediaType;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
