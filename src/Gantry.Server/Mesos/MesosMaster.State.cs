using System.Text.Json.Nodes;
using Gantry.Server.Kernel;

namespace Gantry.Server.Mesos;

public sealed partial class MesosMaster
{
    /// <summary>The Mesos release whose APIs Gantry's follow (its last); tools read it to know which fields to expect.</summary>
    private const string MesosVersion = "1.11.0";

    /// <summary>
    /// Mesos' <c>/master/state</c>: this master (it is always the leader: Gantry's server is one process), the nodes as
    /// agents, and the frameworks with their tasks. <paramref name="hostname"/> and <paramref name="address"/> (with its
    /// port) are how the caller reached the master.
    /// </summary>
    public JsonObject State(string hostname, string address)
    {
        ArgumentNullException.ThrowIfNull(hostname);
        ArgumentNullException.ThrowIfNull(address);
        var ledger = _allocator.Ledger.Snapshot();
        var offers = _allocator.OutstandingOffers();
        var pid = $"master@{address}";
        var offeredOn = offers.GroupBy(o => o.Node, StringComparer.Ordinal).ToDictionary(g => g.Key, Sum, StringComparer.Ordinal);
        var agents = new JsonArray([.. ledger.Nodes.Values.OrderBy(n => n.Node, StringComparer.Ordinal)
            .Select(n => (JsonNode)MasterState.Agent(n, offeredOn.GetValueOrDefault(n.Node) ?? ResourceVector.Zero))]);
        JsonArray frameworks;
        lock (_gate)
        {
            frameworks = new JsonArray([.. _frameworks.Values.OrderBy(f => f.Id, StringComparer.Ordinal)
                .Select(f => (JsonNode)MasterState.Framework(
                    f,
                    ledger.AllocatedByFramework.GetValueOrDefault(f.Id) ?? ResourceVector.Zero,
                    Sum(offers.Where(o => o.FrameworkId == f.Id))))]);
        }

        return new JsonObject
        {
            ["version"] = MesosVersion,
            ["id"] = _masterId,
            ["pid"] = pid,
            ["leader"] = pid,
            ["hostname"] = hostname,
            ["start_time"] = _startedAt.ToUnixTimeMilliseconds() / 1000.0,
            ["elected_time"] = _startedAt.ToUnixTimeMilliseconds() / 1000.0,
            ["activated_slaves"] = agents.Count,
            ["deactivated_slaves"] = 0,
            ["unreachable_slaves"] = 0,
            ["slaves"] = agents,
            ["frameworks"] = frameworks,
            ["completed_frameworks"] = new JsonArray(),
            ["orphan_tasks"] = new JsonArray(),
            ["unregistered_frameworks"] = new JsonArray(),
        };
    }

    private static ResourceVector Sum(IEnumerable<Offer> offers) =>
        offers.Aggregate(ResourceVector.Zero, (sum, o) => sum.Add(o.Resources));
}
