using Gantry.Server.Controllers;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Controllers;

public sealed class NodeHealthRuleTests
{
    private static readonly DateTime Now = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(13);
    private static readonly DateTime LongAgo = Now.AddHours(-1);

    private static V1Node Node(string ready = "True", DateTime? heartbeat = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "n", CreationTimestamp = LongAgo },
        Status = new V1NodeStatus { Conditions = [new V1NodeCondition { Type = "Ready", Status = ready, LastHeartbeatTime = heartbeat ?? LongAgo }] },
    };

    private static V1Lease Lease(DateTime renewed) => new() { Spec = new V1LeaseSpec { RenewTime = renewed } };

    [Fact]
    public void A_node_with_a_fresh_lease_is_as_ready_as_its_condition_says()
    {
        Assert.Equal(NodeHealth.Ready, NodeHealthRule.Of(Node(), Lease(Now.AddSeconds(-5)), Now, Grace, LongAgo));
        Assert.Equal(NodeHealth.NotReady, NodeHealthRule.Of(Node("False"), Lease(Now.AddSeconds(-5)), Now, Grace, LongAgo));
    }

    [Fact]
    public void A_node_whose_lease_is_older_than_the_grace_period_is_unreachable()
    {
        Assert.Equal(NodeHealth.Unreachable, NodeHealthRule.Of(Node(), Lease(Now.AddSeconds(-14)), Now, Grace, LongAgo));
    }

    [Fact]
    public void A_recent_status_heartbeat_keeps_a_node_without_a_lease_reachable()
    {
        Assert.Equal(NodeHealth.Ready, NodeHealthRule.Of(Node(heartbeat: Now.AddSeconds(-3)), null, Now, Grace, LongAgo));
    }

    [Fact]
    public void No_node_is_judged_before_the_controller_has_watched_for_a_grace_period()
    {
        Assert.Equal(NodeHealth.Ready, NodeHealthRule.Of(Node(), Lease(LongAgo), Now, Grace, Now.AddSeconds(-2)));
    }
}
