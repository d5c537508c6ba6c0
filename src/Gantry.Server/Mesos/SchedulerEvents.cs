using System.Text.Json.Nodes;
using Gantry.Server.Kernel;

namespace Gantry.Server.Mesos;

/// <summary>The events of Mesos' v1 scheduler API, in its JSON form.</summary>
public static class SchedulerEvents
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(15);

    public static JsonObject Subscribed(string frameworkId) => new()
    {
        ["type"] = "SUBSCRIBED",
        ["subscribed"] = new JsonObject
        {
            ["framework_id"] = Id(frameworkId),
            ["heartbeat_interval_seconds"] = HeartbeatInterval.TotalSeconds,
        },
    };

    public static JsonObject Offers(IEnumerable<Offer> offers, string role)
    {
        var list = new JsonArray([.. offers.Select(o => (JsonNode)Offer(o, role))]);
        return new JsonObject { ["type"] = "OFFERS", ["offers"] = new JsonObject { ["offers"] = list } };
    }

    /// <summary>An Offer message: the offer's resources, allocated to the framework's role.</summary>
    public static JsonObject Offer(Offer offer, string role)
    {
        ArgumentNullException.ThrowIfNull(offer);
        return new JsonObject
        {
            ["id"] = Id(offer.Id),
            ["framework_id"] = Id(offer.FrameworkId),
            ["agent_id"] = Id(offer.Node),
            ["hostname"] = offer.Node,
            ["allocation_info"] = new JsonObject { ["role"] = role },
            ["resources"] = MesosResources.ToJson(offer.Resources, role),
        };
    }

    public static JsonObject Rescind(string offerId) => new()
    {
        ["type"] = "RESCIND",
        ["rescind"] = new JsonObject { ["offer_id"] = Id(offerId) },
    };

    public static JsonObject Update(JsonObject status) => new()
    {
        ["type"] = "UPDATE",
        ["update"] = new JsonObject { ["status"] = status },
    };

    public static JsonObject Heartbeat() => new() { ["type"] = "HEARTBEAT" };

    public static JsonObject Error(string message) => new()
    {
        ["type"] = "ERROR",
        ["error"] = new JsonObject { ["message"] = message },
    };

    public static JsonObject Id(string value) => new() { ["value"] = value };
}
