using System.Text.Json.Nodes;
using Gantry.Server.Kernel;

namespace Gantry.Server.Mesos;

/// <summary>
/// What the master knows, as the messages of Mesos' v1 operator API (<c>mesos/v1/master/master.proto</c> and the
/// <c>mesos/v1/mesos.proto</c> types it lists) in their JSON form: the nodes as agents, frameworks, tasks and roles.
/// </summary>
public static class OperatorObjects
{
    /// <summary>The port Gantry's agents serve on, where a Mesos agent would serve 5051.</summary>
    public const int AgentPort = 10250;

    /// <summary>A node as a <c>GetAgents.Agent</c>: what is allocated on it, to any framework, the pod scheduler's pods included, is allocated.</summary>
    public static JsonObject Agent(NodeAccount node, ResourceVector offered, string version)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(offered);
        return new JsonObject
        {
            ["agent_info"] = new JsonObject
            {
                ["hostname"] = node.Node,
                ["id"] = SchedulerEvents.Id(node.Node),
                ["port"] = AgentPort,
                ["resources"] = MesosResources.ToJson(node.Allocatable, null),
                ["attributes"] = new JsonArray(),
            },
            ["active"] = true,
            ["deactivated"] = false,
            ["version"] = version,
            ["pid"] = $"slave(1)@{node.Node}:{AgentPort}",
            ["total_resources"] = MesosResources.ToJson(node.Allocatable, null),
            ["allocated_resources"] = MesosResources.ToJson(node.Allocated, "*"),
            ["offered_resources"] = MesosResources.ToJson(offered, "*"),
        };
    }

    /// <summary>A framework as a <c>GetFrameworks.Framework</c>, with the offers it holds.</summary>
    public static JsonObject Framework(MesosFramework framework, ResourceVector allocated, IReadOnlyList<Offer> offers)
    {
        ArgumentNullException.ThrowIfNull(framework);
        ArgumentNullException.ThrowIfNull(allocated);
        ArgumentNullException.ThrowIfNull(offers);
        var offered = offers.Aggregate(ResourceVector.Zero, (sum, o) => sum.Add(o.Resources));
        var json = new JsonObject
        {
            ["framework_info"] = framework.Info?.DeepClone() ?? new JsonObject
            {
                // A framework recovered from its tasks' pods is known by its id and name alone; user is a required field.
                ["user"] = "",
                ["name"] = framework.Name,
                ["id"] = SchedulerEvents.Id(framework.Id),
                ["failover_timeout"] = framework.FailoverTimeout.TotalSeconds,
            },
            ["active"] = framework.Session is not null,
            ["connected"] = framework.Session is not null,
            ["recovered"] = framework.RegisteredAt is null,
            ["offers"] = new JsonArray([.. offers.Select(o => (JsonNode)SchedulerEvents.Offer(o, framework.Role))]),
            ["allocated_resources"] = MesosResources.ToJson(allocated, framework.Role),
            ["offered_resources"] = MesosResources.ToJson(offered, framework.Role),
        };
        if (framework.RegisteredAt is { } registered)
        {
            json["registered_time"] = Time(registered);
        }

        return json;
    }

    /// <summary>A task as a <c>Task</c>: its latest status is the only one the master keeps.</summary>
    public static JsonObject Task(TaskRecord task, MesosFramework framework)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(framework);
        string? name = null;
        task.Pod?.Metadata.Annotations?.TryGetValue(TaskPods.TaskNameAnnotation, out name);
        return new JsonObject
        {
            ["name"] = string.IsNullOrEmpty(name) ? task.TaskId : name,
            ["task_id"] = SchedulerEvents.Id(task.TaskId),
            ["framework_id"] = SchedulerEvents.Id(framework.Id),
            ["agent_id"] = SchedulerEvents.Id(task.Agent),
            ["state"] = task.State.State,
            ["resources"] = MesosResources.ToJson(task.Pod is { } pod ? PodRequests.Of(pod) : ResourceVector.Zero, framework.Role),
            ["statuses"] = new JsonArray(task.Status(uuid: null)),
            ["status_update_state"] = task.State.State,
        };
    }

    /// <summary>A <c>Role</c>: its weight, the frameworks in it and what they hold or are offered, as plain quantities.</summary>
    public static JsonObject Role(string name, double weight, IEnumerable<string> frameworkIds, ResourceVector allocatedAndOffered) => new()
    {
        ["name"] = name,
        ["weight"] = weight,
        ["frameworks"] = new JsonArray([.. frameworkIds.Select(id => (JsonNode)SchedulerEvents.Id(id))]),
        ["resources"] = MesosResources.ToJson(allocatedAndOffered, null),
    };

    /// <summary>A <c>TimeInfo</c>: nanoseconds since the epoch.</summary>
    public static JsonObject Time(DateTimeOffset at) => new() { ["nanoseconds"] = (at - DateTimeOffset.UnixEpoch).Ticks * 100 };
}
