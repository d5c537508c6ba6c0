using Gantry.Server.Controllers;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Controllers;

public sealed class DeploymentStatusMathTests
{
    [Fact]
    public void Status_sums_the_replica_sets_and_counts_the_new_one_as_updated()
    {
        var d = Deployments.Rolling(3, "1", "1");
        var old = Deployments.ReplicaSet("old", 1, available: 1);
        var newRs = Deployments.ReplicaSet("new", 3, available: 2);

        var status = DeploymentStatusMath.Calculate(d, [old, newRs], newRs, Deployments.Now);

        Assert.Equal(4, status.Replicas);
        Assert.Equal(3, status.UpdatedReplicas);
        Assert.Equal(3, status.AvailableReplicas);
        Assert.Equal(1, status.UnavailableReplicas);
        Assert.Equal(1, status.ObservedGeneration);
        Assert.Equal("MinimumReplicasAvailable", DeploymentStatusMath.Get(status, "Available")!.Reason);
    }

    [Fact]
    public void A_finished_rollout_reports_the_new_replica_set_available()
    {
        var d = Deployments.Rolling(2, "1", "1");
        var newRs = Deployments.ReplicaSet("new", 2, available: 2);

        var status = DeploymentStatusMath.RolloutStatus(d, [newRs], newRs, Deployments.Now);

        var progressing = DeploymentStatusMath.Get(status, "Progressing")!;
        Assert.Equal("NewReplicaSetAvailable", progressing.Reason);
        Assert.Equal("ReplicaSet \"new\" has successfully progressed.", progressing.Message);
    }

    [Fact]
    public void No_progress_past_the_deadline_times_the_rollout_out()
    {
        var d = Deployments.Rolling(2, "1", "1");
        d.Spec.ProgressDeadlineSeconds = 30;
        var newRs = Deployments.ReplicaSet("new", 2, available: 0);
        newRs.Status.Replicas = 2;
        d.Status = new V1DeploymentStatus
        {
            Replicas = 2, UpdatedReplicas = 2,
            Conditions = [DeploymentStatusMath.New("Progressing", "True", "ReplicaSetUpdated", "ReplicaSet \"new\" is progressing.", Deployments.Now)],
        };

        var before = DeploymentStatusMath.RolloutStatus(d, [newRs], newRs, Deployments.Now.AddSeconds(20));
        var after = DeploymentStatusMath.RolloutStatus(d, [newRs], newRs, Deployments.Now.AddSeconds(31));

        Assert.Equal("ReplicaSetUpdated", DeploymentStatusMath.Get(before, "Progressing")!.Reason);
        Assert.Equal(TimeSpan.FromSeconds(10), DeploymentStatusMath.RecheckAfter(d, before, Deployments.Now.AddSeconds(20)));
        var timedOut = DeploymentStatusMath.Get(after, "Progressing")!;
        Assert.Equal("ProgressDeadlineExceeded", timedOut.Reason);
        Assert.Equal("False", timedOut.Status);
        Assert.Equal("ReplicaSet \"new\" has timed out progressing.", timedOut.Message);
    }

    [Fact]
    public void Auto_rollback_targets_the_previous_revision_only_when_enabled_and_timed_out()
    {
        var d = Deployments.Rolling(2, "1", "1");
        var failed = Deployments.ReplicaSet("v2", 2, revision: 2);
        var good = Deployments.ReplicaSet("v1", 0, revision: 1);
        var older = Deployments.ReplicaSet("v0", 0, revision: 0);
        var status = new V1DeploymentStatus { Conditions = [DeploymentStatusMath.New("Progressing", "False", "ProgressDeadlineExceeded", "", Deployments.Now)] };

        Assert.Null(AutoRollback.Target(d, status, failed, [good, older]));
        d.Metadata.Annotations = new Dictionary<string, string> { [AutoRollback.EnabledAnnotation] = "true" };
        Assert.Same(good, AutoRollback.Target(d, status, failed, [good, older]));

        AutoRollback.Mark(failed, 2);
        Assert.Null(AutoRollback.Target(d, status, failed, [good]));
    }

    [Fact]
    public void Auto_rollback_never_targets_a_revision_it_rolled_back_from()
    {
        var d = Deployments.Rolling(2, "1", "1");
        d.Metadata.Annotations = new Dictionary<string, string> { [AutoRollback.EnabledAnnotation] = "true" };
        var rolledBackTo = Deployments.ReplicaSet("v1", 2, revision: 3);
        var broken = Deployments.ReplicaSet("v2", 0, revision: 2);
        AutoRollback.Mark(broken, 2);
        var status = new V1DeploymentStatus { Conditions = [DeploymentStatusMath.New("Progressing", "False", "ProgressDeadlineExceeded", "", Deployments.Now)] };

        Assert.Null(AutoRollback.Target(d, status, rolledBackTo, [broken]));
    }
}
