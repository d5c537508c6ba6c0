using Gantry.Server.Controllers;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Controllers;

public sealed class DisruptionBudgetMathTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static V1Pod Pod(string name, bool ready = true, string? ownerUid = "rs-1", bool deleting = false) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "default",
            DeletionTimestamp = deleting ? Now.UtcDateTime : null,
            OwnerReferences = ownerUid is null ? null : [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "web", Uid = ownerUid, Controller = true }],
        },
        Status = new V1PodStatus { Phase = "Running", Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }] },
    };

    private static ControllerScale? ReplicaSetOfFive(V1OwnerReference owner, string ns) => owner.Uid == "rs-1" ? new ControllerScale("rs-1", 5) : null;

    private static ExpectedPods Expected(IntOrString? minAvailable, IntOrString? maxUnavailable, params V1Pod[] pods) =>
        DisruptionBudgetMath.Expected(new V1PodDisruptionBudgetSpec { MinAvailable = minAvailable, MaxUnavailable = maxUnavailable }, pods, ReplicaSetOfFive);

    [Fact]
    public void An_integer_minAvailable_expects_the_selected_pods_and_desires_that_many()
    {
        var expected = Expected(2, null, Pod("a"), Pod("b"), Pod("c"));

        Assert.Equal((3, 2), (expected.Count, expected.DesiredHealthy));
    }

    [Fact]
    public void A_percentage_minAvailable_counts_against_the_controllers_replicas_rounding_up()
    {
        var expected = Expected("50%", null, Pod("a"), Pod("b"));

        Assert.Equal((5, 3), (expected.Count, expected.DesiredHealthy));
    }

    [Fact]
    public void MaxUnavailable_desires_the_controllers_replicas_less_the_unavailable()
    {
        var expected = Expected(null, 1, Pod("a"), Pod("b"));

        Assert.Equal((5, 4), (expected.Count, expected.DesiredHealthy));
    }

    [Fact]
    public void Pods_without_a_controller_are_listed_as_unmanaged_and_not_counted()
    {
        var expected = Expected(null, "20%", Pod("a"), Pod("loose", ownerUid: null));

        Assert.Equal((5, 4), (expected.Count, expected.DesiredHealthy));
        Assert.Equal(["loose"], expected.Unmanaged);
    }

    [Fact]
    public void A_controller_that_cannot_be_found_fails_the_count()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Expected(null, 1, Pod("orphan", ownerUid: "gone")));

        Assert.Equal("found no controllers for pod \"orphan\"", error.Message);
    }

    [Fact]
    public void Healthy_pods_are_ready_not_deleting_and_not_recently_evicted()
    {
        var pods = new[] { Pod("ready"), Pod("unready", ready: false), Pod("deleting", deleting: true), Pod("evicted") };
        var disrupted = new Dictionary<string, DateTime?> { ["evicted"] = Now.AddSeconds(-30).UtcDateTime };

        Assert.Equal(1, DisruptionBudgetMath.CurrentHealthy(pods, disrupted, Now));
    }

    [Fact]
    public void Disrupted_pods_past_the_deletion_timeout_or_already_deleting_or_gone_are_pruned()
    {
        var recorded = new Dictionary<string, DateTime?>
        {
            ["recent"] = Now.AddSeconds(-30).UtcDateTime,
            ["stale"] = Now.AddMinutes(-3).UtcDateTime,
            ["deleting"] = Now.AddSeconds(-10).UtcDateTime,
            ["gone"] = Now.AddSeconds(-10).UtcDateTime,
        };

        var (kept, recheck) = DisruptionBudgetMath.Disrupted(recorded, [Pod("recent"), Pod("stale"), Pod("deleting", deleting: true)], Now);

        Assert.Equal(["recent"], kept.Keys);
        Assert.Equal(Now.AddSeconds(90), recheck);
    }

    [Fact]
    public void No_disruption_is_allowed_while_no_pods_are_expected()
    {
        Assert.Equal(0, DisruptionBudgetMath.DisruptionsAllowed(currentHealthy: 2, desiredHealthy: 0, expectedCount: 0));
        Assert.Equal(1, DisruptionBudgetMath.DisruptionsAllowed(currentHealthy: 3, desiredHealthy: 2, expectedCount: 3));
        Assert.Equal(0, DisruptionBudgetMath.DisruptionsAllowed(currentHealthy: 1, desiredHealthy: 2, expectedCount: 3));
    }
}
