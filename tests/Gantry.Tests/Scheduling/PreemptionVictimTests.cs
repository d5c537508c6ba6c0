using Gantry.Server.Scheduling;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Scheduling;

public sealed class PreemptionVictimTests
{
    private static readonly DateTime Now = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    [Fact]
    public void A_victim_is_marked_as_a_disruption_target_preempted_by_the_scheduler()
    {
        var victim = new V1Pod { Metadata = new V1ObjectMeta { Name = "low" }, Status = new V1PodStatus { Phase = "Running" } };

        PreemptionVictim.Mark(victim, "default-scheduler", Now);

        var condition = Assert.Single(victim.Status.Conditions);
        Assert.Equal("DisruptionTarget", condition.Type);
        Assert.Equal("True", condition.Status);
        Assert.Equal("PreemptionByScheduler", condition.Reason);
        Assert.Equal("default-scheduler: preempting to accommodate a higher priority pod", condition.Message);
        Assert.Equal(Now, condition.LastTransitionTime);
    }

    [Fact]
    public void Marking_replaces_an_earlier_disruption_target_and_keeps_the_other_conditions()
    {
        var victim = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "low" },
            Status = new V1PodStatus
            {
                Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }, new V1PodCondition { Type = "DisruptionTarget", Status = "False", Reason = "Other" }],
            },
        };

        PreemptionVictim.Mark(victim, "default-scheduler", Now);

        Assert.Equal(["Ready", "DisruptionTarget"], victim.Status.Conditions.Select(c => c.Type));
        Assert.Equal("PreemptionByScheduler", victim.Status.Conditions[1].Reason);
    }

    [Fact]
    public void Only_a_deleted_pod_marked_as_preempted_is_terminating_by_preemption()
    {
        var victim = new V1Pod { Metadata = new V1ObjectMeta { Name = "low" } };
        PreemptionVictim.Mark(victim, "default-scheduler", Now);
        Assert.False(PreemptionVictim.IsTerminating(victim));

        victim.Metadata.DeletionTimestamp = Now;
        Assert.True(PreemptionVictim.IsTerminating(victim));

        var deleted = new V1Pod { Metadata = new V1ObjectMeta { Name = "other", DeletionTimestamp = Now } };
        Assert.False(PreemptionVictim.IsTerminating(deleted));
    }
}
