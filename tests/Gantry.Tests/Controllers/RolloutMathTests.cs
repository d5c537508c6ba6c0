using Gantry.Server.Controllers;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Controllers;

public sealed class RolloutMathTests
{
    [Fact]
    public void Percentages_round_surge_up_and_unavailable_down()
    {
        Assert.Equal((3, 2), RolloutMath.ResolveFenceposts("25%", "25%", 10));
    }

    [Fact]
    public void Zero_surge_and_zero_unavailable_allow_one_unavailable()
    {
        Assert.Equal((0, 1), RolloutMath.ResolveFenceposts("0%", "0%", 3));
    }

    [Fact]
    public void New_replica_set_grows_by_the_surge_above_the_current_total()
    {
        var d = Deployments.Rolling(10, "3", "2");
        var old = Deployments.ReplicaSet("old", 10, available: 10);
        var newRs = Deployments.ReplicaSet("new", 0);

        Assert.Equal(3, RolloutMath.NewReplicaSetReplicas(d, [old, newRs], newRs));
    }

    [Fact]
    public void New_replica_set_does_not_grow_while_the_total_is_at_its_maximum()
    {
        var d = Deployments.Rolling(10, "3", "2");
        var old = Deployments.ReplicaSet("old", 10, available: 10);
        var newRs = Deployments.ReplicaSet("new", 3);

        Assert.Equal(3, RolloutMath.NewReplicaSetReplicas(d, [old, newRs], newRs));
    }

    [Fact]
    public void Recreate_sizes_the_new_replica_set_to_the_desired_count()
    {
        var d = Deployments.Rolling(4, "1", "1");
        d.Spec.Strategy = new V1DeploymentStrategy { Type = "Recreate" };
        var newRs = Deployments.ReplicaSet("new", 0);

        Assert.Equal(4, RolloutMath.NewReplicaSetReplicas(d, [newRs], newRs));
    }

    [Fact]
    public void Old_replica_sets_shrink_only_down_to_desired_minus_max_unavailable_available_pods()
    {
        var d = Deployments.Rolling(10, "3", "2");
        var old = Deployments.ReplicaSet("old", 10, available: 10);
        var newRs = Deployments.ReplicaSet("new", 3, available: 0);

        var sizes = RolloutMath.ScaleDownOld(d, newRs, [old]);

        Assert.Equal(8, sizes["old"]);
    }

    [Fact]
    public void Unhealthy_old_replicas_are_removed_before_available_ones()
    {
        var d = Deployments.Rolling(4, "1", "1");
        var older = Deployments.ReplicaSet("older", 2, available: 0, ageSeconds: 100);
        var old = Deployments.ReplicaSet("old", 3, available: 3, ageSeconds: 50);
        var newRs = Deployments.ReplicaSet("new", 0);

        var sizes = RolloutMath.ScaleDownOld(d, newRs, [old, older]);

        Assert.Equal(0, sizes["older"]);
        Assert.Equal(3, sizes["old"]);
    }

    [Fact]
    public void A_resize_mid_rollout_spreads_proportionally_with_the_leftover_to_the_largest()
    {
        var d = Deployments.Rolling(20, "3", "2");
        var old = Deployments.ReplicaSet("old", 8, available: 8, ageSeconds: 100);
        var newRs = Deployments.ReplicaSet("new", 5, ageSeconds: 10);
        DeploymentRevisions.SetReplicasAnnotations(old, 10, 13);
        DeploymentRevisions.SetReplicasAnnotations(newRs, 10, 13);

        var sizes = RolloutMath.ProportionalSizes(d, [old, newRs]);

        Assert.Equal(23, sizes.Values.Sum());
        Assert.Equal(14, sizes["old"]);
        Assert.Equal(9, sizes["new"]);
    }

    [Fact]
    public void The_only_active_replica_set_is_the_one_to_scale()
    {
        var old = Deployments.ReplicaSet("old", 0, ageSeconds: 100);
        var newRs = Deployments.ReplicaSet("new", 2);

        Assert.Same(newRs, RolloutMath.FindActiveOrLatest(newRs, [old]));
        Assert.Null(RolloutMath.FindActiveOrLatest(newRs, [Deployments.ReplicaSet("other", 1)]));
    }
}
