using System.Net;
using System.Text.Json.Nodes;
using Gantry.Server.Kernel;

namespace Gantry.Server.Mesos;

public sealed partial class MesosMaster
{
    /// <summary>GET_AGENTS: every node, as an agent.</summary>
    public JsonObject GetAgents()
    {
        var offeredOn = _allocator.OutstandingOffers().GroupBy(o => o.Node, StringComparer.Ordinal).ToDictionary(g => g.Key, Sum, StringComparer.Ordinal);
        var agents = _allocator.Ledger.Snapshot().Nodes.Values.OrderBy(n => n.Node, StringComparer.Ordinal)
            .Select(n => (JsonNode)OperatorObjects.Agent(n, offeredOn.GetValueOrDefault(n.Node) ?? ResourceVector.Zero, MesosVersion));
        return new JsonObject { ["agents"] = new JsonArray([.. agents]), ["recovered_agents"] = new JsonArray() };
    }

    /// <summary>GET_FRAMEWORKS: every framework the master knows; those torn down are forgotten, not listed as completed.</summary>
    public JsonObject GetFrameworks()
    {
        var allocated = _allocator.Ledger.Snapshot().AllocatedByFramework;
        var offers = _allocator.OutstandingOffers().ToLookup(o => o.FrameworkId, StringComparer.Ordinal);
        lock (_gate)
        {
            var frameworks = _frameworks.Values.OrderBy(f => f.Id, StringComparer.Ordinal)
                .Select(f => (JsonNode)OperatorObjects.Framework(f, allocated.GetValueOrDefault(f.Id) ?? ResourceVector.Zero, [.. offers[f.Id]]));
            return new JsonObject { ["frameworks"] = new JsonArray([.. frameworks]), ["completed_frameworks"] = new JsonArray() };
        }
    }

    /// <summary>GET_TASKS: the frameworks' tasks; a task is completed, as in Mesos, once its terminal update is acknowledged.</summary>
    public JsonObject GetTasks()
    {
        lock (_gate)
        {
            var tasks = _frameworks.Values.OrderBy(f => f.Id, StringComparer.Ordinal)
                .SelectMany(f => f.Tasks.Values.OrderBy(t => t.TaskId, StringComparer.Ordinal).Select(t => (Task: t, Framework: f)))
                .ToList();
            return new JsonObject
            {
                ["tasks"] = new JsonArray([.. tasks.Where(t => !t.Task.Finished).Select(t => (JsonNode)OperatorObjects.Task(t.Task, t.Framework))]),
                ["unreachable_tasks"] = new JsonArray(),
                ["completed_tasks"] = new JsonArray([.. tasks.Where(t => t.Task.Finished).Select(t => (JsonNode)OperatorObjects.Task(t.Task, t.Framework))]),
            };
        }
    }

    /// <summary>GET_STATE: agents, frameworks, tasks and (never any) executors in one answer.</summary>
    public JsonObject GetState() => new()
    {
        ["get_tasks"] = GetTasks(),
        ["get_executors"] = new JsonObject { ["executors"] = new JsonArray() },
        ["get_frameworks"] = GetFrameworks(),
        ["get_agents"] = GetAgents(),
    };

    /// <summary>GET_ROLES: the roles the frameworks are in, with their weights and what their frameworks hold.</summary>
    public JsonObject GetRoles()
    {
        var allocated = _allocator.Ledger.Snapshot().AllocatedByFramework;
        List<IGrouping<string, MesosFramework>> roles;
        lock (_gate)
        {
            roles = [.. _frameworks.Values.GroupBy(f => f.Role, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)];
        }

        return new JsonObject
        {
            ["roles"] = new JsonArray([.. roles.Select(role => (JsonNode)OperatorObjects.Role(
                role.Key,
                _allocator.RoleOf(role.Key).Weight,
                role.Select(f => f.Id).Order(StringComparer.Ordinal),
                role.Aggregate(ResourceVector.Zero, (sum, f) => sum.Add(allocated.GetValueOrDefault(f.Id) ?? ResourceVector.Zero))))]),
        };
    }

    /// <summary>GET_MASTER: this master, as reached at <paramref name="hostname"/>, <paramref name="ip"/> and <paramref name="port"/>.</summary>
    public JsonObject GetMaster(string hostname, IPAddress ip, int port)
    {
        ArgumentNullException.ThrowIfNull(ip);
        var started = _startedAt.ToUnixTimeMilliseconds() / 1000.0;
        return new JsonObject
        {
            ["master_info"] = new JsonObject
            {
                ["id"] = _masterId,
                // Mesos packs an IPv4 address into a uint32 as it lies in memory: in network order, read by a little-endian host.
                ["ip"] = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? BitConverter.ToUInt32(ip.GetAddressBytes()) : 0,
                ["port"] = port,
                ["pid"] = $"master@{ip}:{port}",
                ["hostname"] = hostname,
                ["version"] = MesosVersion,
                ["address"] = new JsonObject { ["hostname"] = hostname, ["ip"] = ip.ToString(), ["port"] = port },
            },
            ["start_time"] = started,
            ["elected_time"] = started,
        };
    }

    /// <summary>GET_VERSION: the Mesos release whose APIs Gantry's follow.</summary>
    public static JsonObject GetVersion() => new() { ["version_info"] = new JsonObject { ["version"] = MesosVersion } };

    /// <summary>An operator's TEARDOWN of a framework; false when the master knows no such framework.</summary>
    public async Task<bool> TearDownByOperatorAsync(string frameworkId)
    {
        lock (_gate)
        {
            if (!_frameworks.ContainsKey(frameworkId))
            {
                return false;
            }
        }

        await TearDownAsync(frameworkId, "an operator asked").ConfigureAwait(false);
        return true;
    }
}
