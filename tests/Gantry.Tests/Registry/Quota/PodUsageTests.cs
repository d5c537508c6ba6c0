using Gantry.Server.Registry.Quota;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Registry.Quota.QuotaObjects;

namespace Gantry.Tests.Registry.Quota;

/// <summary>What a pod charges to quota (kube's <c>PodUsageFunc</c>), which containers must ask for what a quota holds, and BestEffort.</summary>
public sealed class PodUsageTests
{
    private static string Usage(V1Pod pod, DateTimeOffset? at = null) => ResourceAmounts.Print(PodUsage.Of(pod, at ?? Now));

    [Fact]
    public void A_running_pod_charges_one_pod_its_requests_under_the_bare_and_requests_names_and_its_limits_under_limits_names()
    {
        var pod = Pod("p", Container("a", requests: "cpu=100m,memory=64Mi", limits: "cpu=200m,memory=128Mi"));

        Assert.Equal(
            "count/pods=1,cpu=100m,limits.cpu=200m,limits.memory=128Mi,memory=64Mi,pods=1,requests.cpu=100m,requests.memory=64Mi",
            Usage(pod));
    }

    [Fact]
    public void A_pod_that_asks_for_nothing_charges_only_its_counts()
    {
        Assert.Equal("count/pods=1,pods=1", Usage(Pod("p")));
    }

    [Fact]
    public void The_containers_of_a_pod_are_summed()
    {
        var pod = Pod("p", Container("a", requests: "cpu=100m"), Container("b", requests: "cpu=250m,ephemeral-storage=1Gi"));

        Assert.Equal(
            "count/pods=1,cpu=350m,ephemeral-storage=1Gi,pods=1,requests.cpu=350m,requests.ephemeral-storage=1Gi",
            Usage(pod));
    }

    [Theory]
    [InlineData("Succeeded")]
    [InlineData("Failed")]
    public void A_terminal_pod_charges_only_count_pods(string phase)
    {
        var pod = Pod("p", Container("a", requests: "cpu=1", limits: "cpu=1"));
        pod.Status = new V1PodStatus { Phase = phase };

        Assert.Equal("count/pods=1", Usage(pod));
    }

    [Fact]
    public void A_pod_past_its_deletion_grace_is_charged_only_count_pods_as_it_may_be_stuck_on_a_lost_node()
    {
        var pod = Pod("p", Container("a", requests: "cpu=1"));
        pod.Metadata.DeletionTimestamp = Now.AddSeconds(-31).UtcDateTime;
        pod.Metadata.DeletionGracePeriodSeconds = 30;

        Assert.Equal("count/pods=1", Usage(pod));
    }

    [Fact]
    public void A_pod_still_within_its_deletion_grace_is_charged_in_full()
    {
        var pod = Pod("p", Container("a", requests: "cpu=1"));
        pod.Metadata.DeletionTimestamp = Now.AddSeconds(-30).UtcDateTime;
        pod.Metadata.DeletionGracePeriodSeconds = 30;

        Assert.Equal("count/pods=1,cpu=1,pods=1,requests.cpu=1", Usage(pod));
    }

    [Fact]
    public void An_init_container_that_asks_for_more_than_the_containers_together_sets_the_pods_request()
    {
        var pod = Pod("p", Container("a", requests: "cpu=100m"), Container("b", requests: "cpu=200m"));
        pod.Spec.InitContainers = [Container("init", requests: "cpu=500m")];

        Assert.Equal("500m", ResourceAmounts.Format("cpu", PodUsage.Of(pod, Now)["requests.cpu"]));
    }

    [Fact]
    public void Init_containers_that_ask_for_less_than_the_containers_together_leave_the_sum()
    {
        var pod = Pod("p", Container("a", requests: "cpu=100m"), Container("b", requests: "cpu=200m"));
        pod.Spec.InitContainers = [Container("first", requests: "cpu=250m"), Container("second", requests: "cpu=150m")];

        Assert.Equal("300m", ResourceAmounts.Format("cpu", PodUsage.Of(pod, Now)["requests.cpu"]));
    }

    [Fact]
    public void A_sidecar_runs_beside_the_containers_and_the_init_containers_that_start_after_it()
    {
        var sidecar = Container("sidecar", requests: "cpu=100m");
        sidecar.RestartPolicy = "Always";
        var pod = Pod("p", Container("a", requests: "cpu=300m"));
        pod.Spec.InitContainers = [sidecar, Container("migrate", requests: "cpu=350m")];

        // Containers with the sidecar: 400m; the init container with the sidecar started before it: 450m.
        Assert.Equal("450m", ResourceAmounts.Format("cpu", PodUsage.Of(pod, Now)["requests.cpu"]));
    }

    [Fact]
    public void The_overhead_is_added_to_every_request_and_only_to_the_limits_that_are_set()
    {
        var pod = Pod("p", Container("a", requests: "cpu=100m", limits: "memory=128Mi"));
        pod.Spec.Overhead = List("cpu=50m,memory=10Mi");

        Assert.Equal(
            "count/pods=1,cpu=150m,limits.memory=138Mi,memory=10Mi,pods=1,requests.cpu=150m,requests.memory=10Mi",
            Usage(pod));
    }

    [Fact]
    public void Hugepages_are_charged_by_both_names_and_extended_resources_only_as_requests()
    {
        var pod = Pod("p", Container("a", requests: "hugepages-2Mi=4Mi,example.com/gpu=1", limits: "hugepages-2Mi=4Mi,example.com/gpu=1"));

        Assert.Equal(
            "count/pods=1,hugepages-2Mi=4Mi,pods=1,requests.example.com/gpu=1,requests.hugepages-2Mi=4Mi",
            Usage(pod));
    }

    [Theory]
    [InlineData("pods", true)]
    [InlineData("count/pods", true)]
    [InlineData("cpu", true)]
    [InlineData("requests.memory", true)]
    [InlineData("limits.cpu", true)]
    [InlineData("hugepages-1Gi", true)]
    [InlineData("requests.example.com/gpu", true)]
    [InlineData("services", false)]
    [InlineData("count/configmaps", false)]
    public void Only_the_pod_names_are_counted_from_pods(string name, bool tracked)
    {
        Assert.Equal(tracked, PodUsage.Tracks(name));
    }

    [Fact]
    public void Each_held_cpu_or_memory_name_lists_the_containers_that_do_not_ask_for_it()
    {
        var pod = Pod("p", Container("b", requests: "memory=64Mi"), Container("a"));

        Assert.Equal(
            "must specify limits.cpu for: a,b; requests.memory for: a",
            PodUsage.MissingRequirements(pod, ["limits.cpu", "pods", "requests.memory"]));
    }

    [Fact]
    public void Init_containers_must_ask_too()
    {
        var pod = Pod("p", Container("a", requests: "cpu=100m"));
        pod.Spec.InitContainers = [Container("init")];

        Assert.Equal("must specify cpu for: init", PodUsage.MissingRequirements(pod, ["cpu"]));
    }

    [Fact]
    public void A_quota_that_holds_no_cpu_or_memory_requires_nothing_of_the_containers()
    {
        Assert.Null(PodUsage.MissingRequirements(Pod("p"), ["pods", "count/pods", "requests.ephemeral-storage", "hugepages-2Mi"]));
    }

    [Fact]
    public void Containers_that_all_ask_for_what_is_held_pass()
    {
        var pod = Pod("p", Container("a", requests: "cpu=100m,memory=1Mi", limits: "cpu=100m,memory=1Mi"));

        Assert.Null(PodUsage.MissingRequirements(pod, ["cpu", "memory", "requests.cpu", "limits.cpu", "requests.memory", "limits.memory"]));
    }

    [Fact]
    public void A_pod_without_cpu_or_memory_is_best_effort_whatever_else_it_asks_for()
    {
        Assert.True(PodUsage.IsBestEffort(Pod("p")));
        Assert.True(PodUsage.IsBestEffort(Pod("p", Container("a", requests: "ephemeral-storage=1Gi"))));
        Assert.True(PodUsage.IsBestEffort(Pod("p", Container("a", requests: "cpu=0"))));
    }

    [Fact]
    public void A_request_or_a_limit_of_cpu_or_memory_in_any_container_makes_a_pod_not_best_effort()
    {
        var withInitLimit = Pod("p");
        withInitLimit.Spec.InitContainers = [Container("init", limits: "memory=1Mi")];

        Assert.False(PodUsage.IsBestEffort(Pod("p", Container("a"), Container("b", requests: "cpu=1m"))));
        Assert.False(PodUsage.IsBestEffort(withInitLimit));
    }
}
