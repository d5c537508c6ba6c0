using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Server.Mesos;

/// <summary>
/// A scheduler Call as the master reads it: its type, the framework it names, and the body, checked as Mesos checks a
/// Call (the message type's required fields, then <c>validation::scheduler::call::validate</c>) before anything acts
/// on it, so that every field the master reads later is there and of its type. <see cref="Error"/> is the validation's
/// refusal; a body that is not a Call at all throws <see cref="JsonException"/>.
/// </summary>
public sealed record SchedulerCall(string Type, string? FrameworkId, JsonObject Body, string? Error)
{
    private static readonly HashSet<string> Types =
    [
        "SUBSCRIBE", "TEARDOWN", "ACCEPT", "DECLINE", "ACCEPT_INVERSE_OFFERS", "DECLINE_INVERSE_OFFERS", "REVIVE", "KILL", "SHUTDOWN",
        "ACKNOWLEDGE", "ACKNOWLEDGE_OPERATION_STATUS", "RECONCILE", "RECONCILE_OPERATIONS", "MESSAGE", "REQUEST", "SUPPRESS", "UPDATE_FRAMEWORK",
    ];

    public static SchedulerCall Parse(JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var type = String(body["type"], "type");
        if (type is null)
        {
            return new SchedulerCall("", null, body, "Expecting 'type' to be present");
        }

        if (!Types.Contains(type))
        {
            throw new JsonException($"Invalid value '{type}' for enum 'mesos.v1.scheduler.Call.Type'");
        }

        var frameworkId = String(body["framework_id"]?["value"], "framework_id.value");
        return new SchedulerCall(type, frameworkId, body, Validate(type, frameworkId, body));
    }

    private static string? Validate(string type, string? frameworkId, JsonObject body)
    {
        if (type == "SUBSCRIBE")
        {
            if (body["subscribe"]?["framework_info"] is not JsonObject info)
            {
                return "Expecting 'subscribe' to be present";
            }

            Require(info, "user", "subscribe.framework_info.user");
            Require(info, "name", "subscribe.framework_info.name");
            Number(info["failover_timeout"], "subscribe.framework_info.failover_timeout");
            Strings(info["roles"], "subscribe.framework_info.roles");
            Strings(body["subscribe"]!["suppressed_roles"], "subscribe.suppressed_roles");
            foreach (var capability in Array(info["capabilities"], "subscribe.framework_info.capabilities"))
            {
                // A capability without a type is one this master's version does not know (UNKNOWN), as Mesos reads it.
                String((capability as JsonObject ?? throw new JsonException("'subscribe.framework_info.capabilities' holds a non-object"))["type"],
                    "subscribe.framework_info.capabilities.type");
            }

            String(info["role"], "subscribe.framework_info.role");
            var infoId = String(info["id"]?["value"], "subscribe.framework_info.id.value");
            return infoId != frameworkId ? "'framework_id' differs from 'subscribe.framework_info.id'" : null;
        }

        if (frameworkId is null)
        {
            return "Expecting 'framework_id' to be present";
        }

        var field = type.ToLowerInvariant();
        switch (type)
        {
            case "ACCEPT" or "DECLINE":
                if (body[field] is not JsonObject offers)
                {
                    return $"Expecting '{field}' to be present";
                }

                foreach (var offer in Array(offers["offer_ids"], $"{field}.offer_ids"))
                {
                    Require(offer, "value", $"{field}.offer_ids.value");
                }

                Double(offers["filters"]?["refuse_seconds"], $"{field}.filters.refuse_seconds");
                foreach (var operation in Array(offers["operations"], "accept.operations"))
                {
                    Require(operation, "type", "accept.operations.type");
                    foreach (var task in Array(operation?["launch"]?["task_infos"], "accept.operations.launch.task_infos"))
                    {
                        Require(task, "name", "accept.operations.launch.task_infos.name");
                        Require(task?["task_id"], "value", "accept.operations.launch.task_infos.task_id.value");
                        Require(task?["agent_id"], "value", "accept.operations.launch.task_infos.agent_id.value");
                    }
                }

                return null;
            case "KILL":
                if (body["kill"] is not JsonObject kill)
                {
                    return "Expecting 'kill' to be present";
                }

                Require(kill["task_id"], "value", "kill.task_id.value");
                String(kill["agent_id"]?["value"], "kill.agent_id.value");
                return null;
            case "ACKNOWLEDGE":
                if (body["acknowledge"] is not JsonObject acknowledge)
                {
                    return "Expecting 'acknowledge' to be present";
                }

                Require(acknowledge["task_id"], "value", "acknowledge.task_id.value");
                Require(acknowledge["agent_id"], "value", "acknowledge.agent_id.value");
                Require(acknowledge, "uuid", "acknowledge.uuid");
                return null;
            case "RECONCILE":
                if (body["reconcile"] is not JsonObject reconcile)
                {
                    return "Expecting 'reconcile' to be present";
                }

                foreach (var task in Array(reconcile["tasks"], "reconcile.tasks"))
                {
                    Require(task?["task_id"], "value", "reconcile.tasks.task_id.value");
                    String(task?["agent_id"]?["value"], "reconcile.tasks.agent_id.value");
                }

                return null;
            default:
                return null;
        }
    }

    private static void Require(JsonNode? parent, string name, string path)
    {
        if (String(parent?[name], path) is null)
        {
            throw new JsonException($"Missing required fields: {path}");
        }
    }

    private static string? String(JsonNode? node, string path) =>
        node switch
        {
            null => null,
            JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
            _ => throw new JsonException($"'{path}' is not a string"),
        };

    private static void Number(JsonNode? node, string path)
    {
        try
        {
            MesosJson.Number(node);
        }
        catch (FormatException)
        {
            throw new JsonException($"'{path}' is not a number");
        }
    }

    private static void Double(JsonNode? node, string path)
    {
        try
        {
            MesosJson.Double(node);
        }
        catch (FormatException)
        {
            throw new JsonException($"'{path}' is not a number");
        }
    }

    private static void Strings(JsonNode? node, string path)
    {
        foreach (var item in Array(node, path))
        {
            String(item, path);
        }
    }

    private static JsonArray Array(JsonNode? node, string path) =>
        node switch
        {
            null => [],
            JsonArray array => array,
            _ => throw new JsonException($"'{path}' is not an array"),
        };
}
