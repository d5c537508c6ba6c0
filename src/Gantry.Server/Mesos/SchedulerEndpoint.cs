using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Server.Kernel;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ProtoCall = global::Mesos.V1.Scheduler.Call;
using ProtoEvent = global::Mesos.V1.Scheduler.Event;

namespace Gantry.Server.Mesos;

/// <summary>
/// <c>POST /api/v1/scheduler</c>, Mesos' v1 scheduler API in its JSON and protobuf forms: SUBSCRIBE answers a RecordIO
/// stream of events with its <c>Mesos-Stream-Id</c>; every other call names its framework and that stream and is
/// answered <c>202 Accepted</c>. Refusals are Mesos' master's status codes and texts.
/// </summary>
public sealed partial class SchedulerEndpoint(MesosMaster master, ILogger<SchedulerEndpoint> logger)
{
    private const string StreamIdHeader = "Mesos-Stream-Id";

    public static bool Matches(string[] segments) => segments is ["api", "v1", "scheduler"];

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (!master.Recovered)
        {
            await new MesosCallError(503, "Master has not finished recovery").WriteAsync(context).ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            await new MesosCallError(405, $"Expecting 'POST', received '{request.Method}'").WriteAsync(context).ConfigureAwait(false);
            return;
        }

        var (body, unreadable) = await MesosCallBody.ReadAsync(request, ProtoCall.Descriptor, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await unreadable!.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        SchedulerCall call;
        try
        {
            call = SchedulerCall.Parse(body);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            await new MesosCallError(400, $"Failed to convert JSON into Call protobuf: {ex.Message}").WriteAsync(context).ConfigureAwait(false);
            return;
        }

        if (call.Error is { } invalid)
        {
            await new MesosCallError(400, $"Failed to validate scheduler::Call: {invalid}").WriteAsync(context).ConfigureAwait(false);
            return;
        }

        var streamId = request.Headers[StreamIdHeader].FirstOrDefault();
        if (call.Type == "SUBSCRIBE")
        {
            if (MesosMediaType.ForAnswer(request) is not { } accepted)
            {
                await new MesosCallError(406,
                    $"Expecting 'Accept' to allow '{MesosMediaType.Protobuf}' or '{MesosMediaType.Json}'").WriteAsync(context).ConfigureAwait(false);
                return;
            }

            await SubscribeAsync(context, call, streamId, accepted).ConfigureAwait(false);
            return;
        }

        var framework = master.Caller(call.FrameworkId!, streamId, out var error);
        if (framework is null)
        {
            await error!.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        var refused = await DispatchAsync(framework, call, context.RequestAborted).ConfigureAwait(false);
        if (refused is not null)
        {
            await refused.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = 202;
    }

    private async Task SubscribeAsync(HttpContext context, SchedulerCall call, string? streamId, string mediaType)
    {
        if (streamId is not null)
        {
            await new MesosCallError(400, "Subscribe calls should not include the 'Mesos-Stream-Id' header").WriteAsync(context).ConfigureAwait(false);
            return;
        }

        var subscribe = call.Body["subscribe"]!;
        var suppressed = (subscribe["suppressed_roles"] as JsonArray ?? []).Select(r => r!.GetValue<string>()).ToList();
        var session = master.Subscribe(subscribe["framework_info"]!.AsObject(), call.FrameworkId, suppressed);
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = mediaType;
        response.Headers[StreamIdHeader] = session.StreamId;
        response.Headers.CacheControl = "no-cache";
        try
        {
            await response.StartAsync(context.RequestAborted).ConfigureAwait(false);
            Func<JsonObject, byte[]> frame = mediaType == MesosMediaType.Protobuf ? ProtobufFrame : RecordIo.Frame;
            await session.StreamAsync(response, frame, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
        }
        finally
        {
            master.Disconnected(session);
        }
    }

    /// <summary>
    /// An event as a protobuf record; an event that is not an Event message (a defect) is left out and logged, where
    /// letting it end the stream would tear a framework without a failover timeout down.
    /// </summary>
    private byte[] ProtobufFrame(JsonObject @event)
    {
        try
        {
            return RecordIo.Frame(MesosProtobuf.Write(ProtoEvent.Descriptor, @event));
        }
        catch (InvalidOperationException ex)
        {
            Log.EventNotSent(logger, ex.Message);
            return [];
        }
    }

    private async Task<MesosCallError?> DispatchAsync(MesosFramework framework, SchedulerCall call, CancellationToken cancellationToken)
    {
        var body = call.Body;
        switch (call.Type)
        {
            case "TEARDOWN":
                await master.TearDownAsync(framework.Id, "the framework asked").ConfigureAwait(false);
                return null;
            case "ACCEPT":
                var accept = body["accept"]!.AsObject();
                var operations = (accept["operations"] as JsonArray ?? []).Select(o => o!.AsObject()).ToList();
                if (operations.Select(o => o["type"]?.GetValue<string>()).FirstOrDefault(t => t is not ("LAUNCH" or "LAUNCH_GROUP")) is { } unsupported)
                {
                    return new MesosCallError(400, $"Operation {unsupported} is not supported: Gantry's offers hold no reservations or persistent volumes");
                }

                if (operations.Any(o => o["type"]!.GetValue<string>() == "LAUNCH_GROUP"))
                {
                    return new MesosCallError(400, "LAUNCH_GROUP is not supported: launch each task with LAUNCH");
                }

                var tasks = operations.SelectMany(o => o["launch"]?["task_infos"] as JsonArray ?? []).Select(t => t!.AsObject()).ToList();
                await master.AcceptAsync(framework, OfferIds(accept), tasks, Refusal(accept), cancellationToken).ConfigureAwait(false);
                return null;
            case "DECLINE":
                var decline = body["decline"]!.AsObject();
                master.Decline(framework, OfferIds(decline), Refusal(decline));
                return null;
            case "REVIVE":
                master.Revive(framework);
                return null;
            case "SUPPRESS":
                master.Suppress(framework);
                return null;
            case "KILL":
                var kill = body["kill"]!;
                await master.KillAsync(framework, kill["task_id"]!["value"]!.GetValue<string>(), kill["agent_id"]?["value"]?.GetValue<string>(), cancellationToken)
                    .ConfigureAwait(false);
                return null;
            case "ACKNOWLEDGE":
                var acknowledge = body["acknowledge"]!;
                await master.AcknowledgeAsync(framework, acknowledge["task_id"]!["value"]!.GetValue<string>(), acknowledge["uuid"]!.GetValue<string>(), cancellationToken)
                    .ConfigureAwait(false);
                return null;
            case "RECONCILE":
                var named = (body["reconcile"]?["tasks"] as JsonArray ?? [])
                    .Select(t => (t!["task_id"]!["value"]!.GetValue<string>(), t["agent_id"]?["value"]?.GetValue<string>()))
                    .ToList();
                master.Reconcile(framework, named);
                return null;
            case "REQUEST" or "ACCEPT_INVERSE_OFFERS" or "DECLINE_INVERSE_OFFERS":
                // Mesos' master ignores REQUEST; Gantry makes no inverse offers to answer.
                return null;
            default:
                return new MesosCallError(501, $"{call.Type} is not supported: Gantry runs tasks without executors to message or shut down");
        }
    }

    private static List<string> OfferIds(JsonObject call) =>
        [.. (call["offer_ids"] as JsonArray ?? []).Select(o => o!["value"]!.GetValue<string>())];

    /// <summary>
    /// The call's filters' refuse_seconds as Mesos' allocator takes them: 5 s when absent, negative or not a number,
    /// at most a year (so infinity is a year).
    /// </summary>
    private static TimeSpan Refusal(JsonObject call) =>
        MesosJson.Double(call["filters"]?["refuse_seconds"]) is { } seconds && seconds >= 0
            ? TimeSpan.FromSeconds(Math.Min(seconds, 365 * 24 * 3600))
            : Allocator.DefaultRefusal;

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "A scheduler event could not be written as protobuf and was left out of the stream: {Reason}")]
        public static partial void EventNotSent(ILogger logger, string reason);
    }
}
