using System.Text.Json.Nodes;
using Gantry.Server.Kernel;
using k8s.Models;

namespace Gantry.Server.Mesos;

/// <summary>
/// The parts of Mesos' <c>/master/state</c> document, in its field names: agents (the nodes, as offers name them),
/// frameworks with their tasks, and resources as the flat <c>{"cpus", "mem", "disk", "gpus"}</c> object the state uses
/// where the scheduler API uses a list. Tools that read it (Mesos-DNS, dashboards, <c>mesos-ps</c>) look at these fields.
/// </summary>
public static class MasterState
{
    private const double Megabyte = 1024 * 1024;

    public static JsonObject Resources(ResourceVector resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        return new JsonObject
        {
            ["cpus"] = resources.CpuMillis / 1000.0,
            ["mem"] = Math.Floor(resources.MemoryBytes / Megabyte),
            ["disk"] = Math.Floor(resources.EphemeralStorageBytes / Megabyte),
            ["gpus"] = resources.Extended.GetValueOrDefault(MesosResources.Gpu),
        };
    }

    /// <summary>A node as an agent; what is allocated on it, to any framework, the pod scheduler's pods included, is used.</summary>
    public static JsonObject Agent(NodeAccount node, ResourceVector offered)
    {
        ArgumentNullException.ThrowIfNull(node);
        return new JsonObject
        {
            ["id"] = node.Node,
            ["hostname"] = node.Node,
            // Tools parse every agent's pid (Mesos-DNS takes its host for the agent's address); a node is named by its host.
            ["pid"] = $"slave(1)@{node.Node}:{OperatorObjects.AgentPort}",
            ["port"] = OperatorObjects.AgentPort,
            ["active"] = true,
            ["resources"] = Resources(node.Allocatable),
            ["used_resources"] = Resources(node.Allocated),
            ["offered_resources"] = Resources(offered),
            ["unreserved_resources"] = Resources(node.Allocatable),
            ["attributes"] = new JsonObject(),
        };
    }

    /// <summary>A task as the master lists it: its latest status is the only one kept.</summary>
    public static JsonObject Task(TaskRecord task, string frameworkId, string role)
    {
        ArgumentNullException.ThrowIfNull(task);
        string? name = null;
        task.Pod?.Metadata.Annotations?.TryGetValue(TaskPods.TaskNameAnnotation, out name);
        return new JsonObject
        {
            ["id"] = task.TaskId,
            ["name"] = string.IsNullOrEmpty(name) ? task.TaskId : name,
            ["framework_id"] = frameworkId,
            ["executor_id"] = "",
            ["slave_id"] = task.Agent,
            ["state"] = task.State.State,
            ["role"] = role,
            ["resources"] = Resources(task.Pod is { } pod ? PodRequests.Of(pod) : ResourceVector.Zero),
            ["statuses"] = new JsonArray(task.Status(uuid: null)),
        };
    }

    public static JsonObject Framework(MesosFramework framework, ResourceVector used, ResourceVector offered)
    {
        ArgumentNullException.ThrowIfNull(framework);
        var tasks = framework.Tasks.Values.OrderBy(t => t.TaskId, StringComparer.Ordinal).ToList();
        var json = new JsonObject
        {
            ["id"] = framework.Id,
            ["name"] = framework.Name,
            ["role"] = framework.Role,
            ["active"] = framework.Session is not null,
            ["connected"] = framework.Session is not null,
            ["recovered"] = framework.RegisteredAt is null,
            ["failover_timeout"] = framework.FailoverTimeout.TotalSeconds,
            ["capabilities"] = new JsonArray([.. Capabilities(framework).Select(c => (JsonNode)c)]),
            ["used_resources"] = Resources(used),
            ["offered_resources"] = Resources(offered),
            ["resources"] = Resources(used.Add(offered)),
            // A task is completed, as in Mesos, once its terminal update is acknowledged.
            ["tasks"] = new JsonArray([.. tasks.Where(t => !t.Finished).Select(t => (JsonNode)Task(t, framework.Id, framework.Role))]),
            ["completed_tasks"] = new JsonArray([.. tasks.Where(t => t.Finished).Select(t => (JsonNode)Task(t, framework.Id, framework.Role))]),
            ["unreachable_tasks"] = new JsonArray(),
            ["offers"] = new JsonArray(),
            ["executors"] = new JsonArray(),
        };
        if (framework.RegisteredAt is { } registered)
        {
            json["registered_time"] = registered.ToUnixTimeMilliseconds() / 1000.0;
        }

        return json;
    }

    private static IEnumerable<string> Capabilities(MesosFramework framework)
    {
        if (framework.PartitionAware)
        {
            yield return "PARTITION_AWARE";
        }

        if (framework.KillingState)
        {
            yield return "TASK_KILLING_STATE";
        }
    }
}
