using System.Net;
using System.Text.Json.Nodes;
using Gantry.Server.Kernel;

namespace Gantry.Server.Mesos;

public sealed partial class MesosMaster
{
    /// <summary>GET_AGENTS: every node, as an agent.</summary>
    public JsonObject GetAgents() => Agents(_allocator.Ledger.Snapshot(), _allocator.OutstandingOffers());

    /// <summary>GET_FRAMEWORKS: every framework the master knows; those torn down are forgotten, not listed as completed.</summary>
    public JsonObject GetFrameworks()
    {
        var ledger = _allocator.Ledger.Snapshot();
        var offers = _allocator.OutstandingOffers();
        lock (_gate)
        {
            return Frameworks(ledger, offers);
        }
    }

    /// <summary>GET_TASKS: the frameworks' tasks; a task is completed, as in Mesos, once its terminal update is acknowledged.</summary>
    public JsonObject GetTasks()
    {
        lock (_gate)
        {
            return Tasks();
        }
    }

    /// <summary>GET_STATE: agents, frameworks, tasks and (never any) executors, all as of one moment.</summary>
    public JsonObject GetState()
    {
        var ledger = _allocator.Ledger.Snapshot();
        var offers = _allocator.OutstandingOffers();
        lock (_gate)
        {
            return new JsonObject
            {
                ["get_tasks"] = Tasks(),
                ["get_executors"] = new JsonObject { ["executors"] = new JsonArray() },
                ["get_frameworks"] = Frameworks(ledger, offers),
                ["get_agents"] = Agents(ledger, offers),
            };
        }
    }

    /// <summary>GET_ROLES: the roles the frameworks are in, with their weights and what their frameworks hold or are offered.</summary>
    public JsonObject GetRoles()
    {
        var allocated = _allocator.Ledger.Snapshot().AllocatedByFramework;
        var offers = _allocator.OutstandingOffers();
        List<IGrouping<string, string>> roles;
        lock (_gate)
        {
            roles = [.. _frameworks.Values.GroupBy(f => f.Role, f => f.Id, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)];
        }

        return new JsonObject
        {
            ["roles"] = new JsonArray([.. roles.Select(role => (JsonNode)OperatorObjects.Role(
                role.Key,
                _allocator.RoleOf(role.Key).Weight,
                role.Order(StringComparer.Ordinal),
                role.Aggregate(ResourceVector.Zero, (sum, id) => sum.Add(allocated.GetValueOrDefault(id) ?? ResourceVector.Zero))
                    .Add(Sum(offers.Where(o => role.Contains(o.FrameworkId))))))]),
        };
    }

    private static JsonObject Agents(LedgerSnapshot ledger, IReadOnlyList<Offer> offers)
    {
        var offeredOn = offers.GroupBy(o => o.Node, StringComparer.Ordinal).ToDictionary(g => g.Key, Sum, StringComparer.Ordinal);
        var agents = ledger.Nodes.Values.OrderBy(n => n.Node, StringComparer.Ordinal)
            .Select(n => (JsonNode)OperatorObjects.Agent(n, offeredOn.GetValueOrDefault(n.Node) ?? ResourceVector.Zero, MesosVersion));
        return new JsonObject { ["agents"] = new JsonArray([.. agents]), ["recovered_agents"] = new JsonArray() };
    }

    /// <summary>The frameworks; the caller holds the master's lock.</summary>
    private JsonObject Frameworks(LedgerSnapshot ledger, IReadOnlyList<Offer> offers)
    {
        var offered = offers.ToLookup(o => o.FrameworkId, StringComparer.Ordinal);
        var frameworks = _frameworks.Values.OrderBy(f => f.Id, StringComparer.Ordinal)
            .Select(f => (JsonNode)OperatorObjects.Framework(f, ledger.AllocatedByFramework.GetValueOrDefault(f.Id) ?? ResourceVector.Zero, [.. offered[f.Id]]));
        return new JsonObject { ["frameworks"] = new JsonArray([.. frameworks]), ["completed_frameworks"] = new JsonArray() };
    }

    /// <summary>The tasks; the caller holds the master's lock.</summary>
    private JsonObject Tasks()
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
