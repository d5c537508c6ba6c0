using System.Text.Json.Nodes;
using Gantry.Server.Controllers;
using Xunit;

namespace Gantry.Tests.Controllers;

public sealed class NamespaceDeletionConditionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static JsonObject Condition(JsonArray conditions, string type) =>
        conditions.OfType<JsonObject>().Single(c => c["type"]!.GetValue<string>() == type);

    [Fact]
    public void Remaining_content_and_its_finalizers_are_named_in_kubes_words()
    {
        var conditions = NamespaceDeletionConditions.For(
            new Dictionary<string, int> { ["pods."] = 1, ["replicasets.apps"] = 2 },
            new Dictionary<string, int> { ["example.com/hold"] = 1 },
            null,
            Now);

        Assert.Equal(
            ["NamespaceDeletionDiscoveryFailure", "NamespaceDeletionGroupVersionParsingFailure", "NamespaceDeletionContentFailure",
             "NamespaceContentRemaining", "NamespaceFinalizersRemaining"],
            conditions.Select(c => c!["type"]!.GetValue<string>()));
        var content = Condition(conditions, "NamespaceContentRemaining");
        Assert.Equal("True", content["status"]!.GetValue<string>());
        Assert.Equal("Some resources are remaining: pods. has 1 resource instances, replicasets.apps has 2 resource instances", content["message"]!.GetValue<string>());
        var finalizers = Condition(conditions, "NamespaceFinalizersRemaining");
        Assert.Equal("SomeFinalizersRemain", finalizers["reason"]!.GetValue<string>());
        Assert.Equal("Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances", finalizers["message"]!.GetValue<string>());
    }

    [Fact]
    public void A_condition_keeps_its_transition_time_while_its_status_stays()
    {
        var first = NamespaceDeletionConditions.For(new Dictionary<string, int> { ["pods."] = 2 }, new Dictionary<string, int>(), null, Now);

        var later = NamespaceDeletionConditions.For(new Dictionary<string, int> { ["pods."] = 1 }, new Dictionary<string, int>(), first, Now.AddMinutes(1));

        Assert.Equal("2026-11-27T12:00:00Z", Condition(later, "NamespaceContentRemaining")["lastTransitionTime"]!.GetValue<string>());
        Assert.Equal("False", Condition(later, "NamespaceFinalizersRemaining")["status"]!.GetValue<string>());
    }
}
