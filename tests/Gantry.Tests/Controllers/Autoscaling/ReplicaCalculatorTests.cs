using Gantry.Server.Controllers.Autoscaling;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Controllers.Autoscaling.AutoscalingPods;

namespace Gantry.Tests.Controllers.Autoscaling;

/// <summary>Kube's replica_calculator_test cases for resource metrics, on <see cref="ReplicaCalculator"/>.</summary>
public sealed class ReplicaCalculatorTests
{
    private static ReplicaCalculation Cpu(int current, int target, V1Pod[] pods, Dictionary<string, PodMetric> metrics, Tolerances? tolerances = null) =>
        ReplicaCalculator.ResourceReplicas(current, target, "cpu", null, pods, metrics, Now, tolerances);

    [Fact]
    public void Utilization_above_target_scales_up_to_bring_the_average_to_the_target()
    {
        var result = Cpu(3, 30, [Pod("a"), Pod("b"), Pod("c")], Metrics(("a", 300), ("b", 500), ("c", 700)));

        Assert.Null(result.Error);
        Assert.Equal((5, 50, 500L), (result.Replicas, result.Utilization, result.RawAverageMilliValue));
    }

    [Fact]
    public void Utilization_below_target_scales_down()
    {
        var result = Cpu(5, 50, [Pod("a"), Pod("b"), Pod("c"), Pod("d"), Pod("e")], Metrics(("a", 100), ("b", 300), ("c", 500), ("d", 250), ("e", 250)));

        Assert.Equal((3, 28, 280L), (result.Replicas, result.Utilization, result.RawAverageMilliValue));
    }

    [Fact]
    public void Utilization_within_tolerance_keeps_the_current_replicas()
    {
        var result = Cpu(3, 100, [Pod("a", "900m"), Pod("b", "1"), Pod("c", "1100m")], Metrics(("a", 1010), ("b", 1030), ("c", 1020)));

        Assert.Equal((3, 102), (result.Replicas, result.Utilization));
    }

    [Fact]
    public void A_ratio_exactly_at_the_tolerance_is_within_it()
    {
        var result = Cpu(3, 100, [Pod("a"), Pod("b"), Pod("c")], Metrics(("a", 1100), ("b", 1100), ("c", 1100)));

        Assert.Equal((3, 110), (result.Replicas, result.Utilization));
    }

    [Fact]
    public void Utilization_just_outside_tolerance_scales()
    {
        var result = Cpu(3, 100, [Pod("a"), Pod("b"), Pod("c")], Metrics(("a", 1110), ("b", 1110), ("c", 1110)));

        Assert.Equal(4, result.Replicas);
    }

    [Fact]
    public void A_narrower_scale_up_tolerance_of_the_autoscaler_scales_where_the_default_would_not()
    {
        V1Pod[] pods = [Pod("a"), Pod("b"), Pod("c")];
        var metrics = Metrics(("a", 1050), ("b", 1050), ("c", 1050));

        Assert.Equal(3, Cpu(3, 100, pods, metrics).Replicas);
        Assert.Equal(4, Cpu(3, 100, pods, metrics, new Tolerances(0.1, 0.01)).Replicas);
    }

    [Fact]
    public void A_pod_missing_metrics_counts_as_using_nothing_on_a_scale_up()
    {
        // 105% of the one sampled pod alone would ask for 3; with the missing pod at 0% the ratio is within tolerance.
        var result = Cpu(2, 50, [Pod("a"), Pod("b")], Metrics(("a", 1050)));

        Assert.Equal((2, 105), (result.Replicas, result.Utilization));
    }

    [Fact]
    public void Pods_missing_metrics_count_as_using_their_request_on_a_scale_down()
    {
        // The three sampled pods alone (10%) would ask for 1; the missing one at 100% makes it (300 + 1000) / 4000.
        var result = Cpu(4, 50, [Pod("a"), Pod("b"), Pod("c"), Pod("d")], Metrics(("a", 100), ("b", 100), ("c", 100)));

        Assert.Equal((3, 10), (result.Replicas, result.Utilization));
    }

    [Fact]
    public void A_missing_pod_counts_at_the_target_on_a_scale_down_when_the_target_is_above_100_percent()
    {
        // The missing pod counts at 200% of its request: (300 + 2000) / 4000 = 57%, a ratio of 0.285.
        var result = Cpu(4, 200, [Pod("a"), Pod("b"), Pod("c"), Pod("d")], Metrics(("a", 100), ("b", 100), ("c", 100)));

        Assert.Equal(2, result.Replicas);
    }

    [Fact]
    public void A_scale_down_that_the_missing_pods_would_reverse_keeps_the_current_replicas()
    {
        var result = Cpu(2, 40, [Pod("a"), Pod("b")], Metrics(("a", 100)));

        Assert.Equal((2, 10), (result.Replicas, result.Utilization));
    }

    [Fact]
    public void A_pod_not_ready_in_its_cpu_initialization_period_counts_as_using_nothing_on_a_scale_up()
    {
        var starting = Pod("c", ready: "False", started: Now.AddMinutes(-1));

        var result = Cpu(3, 30, [Pod("a"), Pod("b"), starting], Metrics(("a", 500), ("b", 700), ("c", 300)));

        Assert.Equal((4, 60), (result.Replicas, result.Utilization));
    }

    [Fact]
    public void A_ready_pod_whose_sample_began_before_it_became_ready_is_set_aside_in_its_cpu_initialization_period()
    {
        // Ready for 30 s, the one-minute sample covers time before readiness (a hot start).
        var hot = Pod("c", started: Now.AddMinutes(-2), readySince: Now.AddSeconds(-30));

        var result = Cpu(3, 30, [Pod("a"), Pod("b"), hot], Metrics(("a", 500), ("b", 700), ("c", 300)));

        Assert.Equal((4, 60), (result.Replicas, result.Utilization));
    }

    [Fact]
    public void A_ready_pod_whose_sample_began_after_it_became_ready_counts_in_its_cpu_initialization_period()
    {
        var warm = Pod("c", started: Now.AddMinutes(-3), readySince: Now.AddMinutes(-2));

        var result = Cpu(3, 30, [Pod("a"), Pod("b"), warm], Metrics(("a", 500), ("b", 700), ("c", 300)));

        Assert.Equal((5, 50), (result.Replicas, result.Utilization));
    }

    [Fact]
    public void Unready_pods_are_left_out_of_a_scale_down()
    {
        V1Pod[] pods =
        [
            Pod("a"), Pod("b"), Pod("c"),
            Pod("d", ready: "False", started: Now.AddMinutes(-1)), Pod("e", ready: "False", started: Now.AddMinutes(-1)),
        ];

        var result = Cpu(5, 50, pods, Metrics(("a", 100), ("b", 300), ("c", 500), ("d", 250), ("e", 250)));

        Assert.Equal((2, 30), (result.Replicas, result.Utilization));
    }

    [Fact]
    public void After_the_cpu_initialization_period_a_pod_that_has_been_ready_counts_even_when_not_ready_now()
    {
        var flapping = Pod("c", ready: "False", readySince: Now.AddMinutes(-2));

        var result = Cpu(3, 30, [Pod("a"), Pod("b"), flapping], Metrics(("a", 500), ("b", 700), ("c", 300)));

        Assert.Equal((5, 50), (result.Replicas, result.Utilization));
    }

    [Fact]
    public void After_the_cpu_initialization_period_a_pod_never_ready_is_set_aside()
    {
        // Not ready since 10 s after it started, within the initial readiness delay: it has never been ready.
        var neverReady = Pod("c", ready: "False", readySince: LongAgo.AddSeconds(10));

        var result = Cpu(3, 30, [Pod("a"), Pod("b"), neverReady], Metrics(("a", 500), ("b", 700), ("c", 300)));

        Assert.Equal((4, 60), (result.Replicas, result.Utilization));
    }

    [Fact]
    public void A_pod_without_a_ready_condition_is_set_aside_for_cpu()
    {
        var result = Cpu(3, 30, [Pod("a"), Pod("b"), Pod("c", ready: null)], Metrics(("a", 500), ("b", 700), ("c", 300)));

        Assert.Equal((4, 60), (result.Replicas, result.Utilization));
    }

    [Fact]
    public void Readiness_does_not_set_a_pod_aside_for_memory()
    {
        V1Pod[] pods = [Pod("a", memory: "100Mi"), Pod("b", memory: "100Mi"), Pod("c", memory: "100Mi", ready: "False", started: Now.AddMinutes(-1))];

        var result = ReplicaCalculator.ResourceReplicas(3, 30, "memory", null, pods, Metrics(("a", Mi(30)), ("b", Mi(50)), ("c", Mi(70))), Now);

        Assert.Equal((5, 50), (result.Replicas, result.Utilization));
    }

    [Fact]
    public void Pending_pods_are_set_aside_for_every_resource()
    {
        V1Pod[] pods = [Pod("a", memory: "100Mi"), Pod("b", memory: "100Mi"), Pod("c", memory: "100Mi", phase: "Pending")];

        var result = ReplicaCalculator.ResourceReplicas(3, 30, "memory", null, pods, Metrics(("a", Mi(50)), ("b", Mi(70)), ("c", Mi(30))), Now);

        Assert.Equal((4, 60), (result.Replicas, result.Utilization));
    }

    [Fact]
    public void Failed_pods_and_pods_being_deleted_are_ignored()
    {
        V1Pod[] pods = [Pod("a"), Pod("b"), Pod("c", phase: "Failed"), Pod("d", deleting: true)];

        var result = Cpu(4, 30, pods, Metrics(("a", 500), ("b", 700), ("c", 100), ("d", 100)));

        Assert.Equal((4, 60), (result.Replicas, result.Utilization));
    }

    [Fact]
    public void No_metrics_at_all_fail_as_the_resource_metrics_api_returning_none()
    {
        var result = Cpu(2, 50, [Pod("a")], Metrics());

        Assert.Equal("unable to get metrics for resource cpu: no metrics returned from resource metrics API", result.Error);
    }

    [Fact]
    public void No_selected_pods_fail()
    {
        var result = Cpu(2, 50, [], Metrics(("a", 100)));

        Assert.Equal("no pods returned by selector while calculating replica count", result.Error);
    }

    [Fact]
    public void Metrics_of_unready_pods_only_fail()
    {
        var result = Cpu(2, 50, [Pod("a", phase: "Pending"), Pod("b", ready: "False", started: Now.AddMinutes(-1))], Metrics(("a", 100), ("b", 100)));

        Assert.Equal("did not receive metrics for targeted pods (pods might be unready)", result.Error);
    }

    [Fact]
    public void A_container_without_a_request_fails_naming_it_and_its_pod()
    {
        var result = Cpu(2, 50, [Pod("a"), Pod("b", cpu: null)], Metrics(("a", 100), ("b", 100)));

        Assert.Equal("missing request for cpu in container app of Pod b", result.Error);
    }

    [Fact]
    public void Samples_of_pods_that_were_not_selected_fail()
    {
        var result = Cpu(1, 50, [Pod("a")], Metrics(("z", 100)));

        Assert.Equal("no metrics returned matched known pods", result.Error);
    }

    [Fact]
    public void A_container_resource_counts_only_that_containers_request()
    {
        // The sidecar requests no cpu, which would fail a Resource metric.
        V1Pod[] pods = [WithSidecar(Pod("a", cpu: "500m")), WithSidecar(Pod("b", cpu: "500m"))];

        var result = ReplicaCalculator.ResourceReplicas(2, 40, "cpu", "app", pods, Metrics(("a", 400), ("b", 400)), Now);

        Assert.Null(result.Error);
        Assert.Equal((4, 80, 400L), (result.Replicas, result.Utilization, result.RawAverageMilliValue));
    }

    [Fact]
    public void A_container_resource_fails_for_a_pod_without_that_container()
    {
        var result = ReplicaCalculator.ResourceReplicas(1, 40, "cpu", "sidecar", [Pod("a")], Metrics(("a", 400)), Now);

        Assert.Equal("container sidecar not found in Pod a", result.Error);
    }

    [Fact]
    public void Restartable_init_containers_add_their_requests()
    {
        var pod = Pod("a", cpu: "500m");
        pod.Spec.InitContainers = [Container("proxy", "500m", restartPolicy: "Always"), Container("setup", null)];

        var result = Cpu(2, 50, [pod], Metrics(("a", 1000)));

        Assert.Equal((2, 100), (result.Replicas, result.Utilization));
    }

    [Fact]
    public void A_pod_level_request_stands_for_the_containers_requests()
    {
        var pod = Pod("a", cpu: null);
        pod.Spec.Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("2") } };

        var result = Cpu(1, 50, [pod], Metrics(("a", 2000)));

        Assert.Equal((2, 100), (result.Replicas, result.Utilization));
    }

    [Fact]
    public void The_result_carries_the_oldest_sample_time()
    {
        var metrics = Metrics(("a", 500), ("b", 500));
        metrics["b"] = metrics["b"] with { Timestamp = Now.AddSeconds(-20) };

        var result = Cpu(2, 50, [Pod("a"), Pod("b")], metrics);

        Assert.Equal(Now.AddSeconds(-20), result.Timestamp);
    }

    [Fact]
    public void An_average_value_target_scales_by_the_average_usage()
    {
        var result = ReplicaCalculator.RawResourceReplicas(3, 250, "cpu", null, [Pod("a"), Pod("b"), Pod("c")], Metrics(("a", 300), ("b", 500), ("c", 700)), Now);

        Assert.Null(result.Error);
        Assert.Equal((6, (int?)null, 500L), (result.Replicas, result.Utilization, result.RawAverageMilliValue));
    }

    [Fact]
    public void An_average_value_target_needs_no_requests()
    {
        var result = ReplicaCalculator.RawResourceReplicas(2, 250, "cpu", null, [Pod("a", cpu: null), Pod("b", cpu: null)], Metrics(("a", 500), ("b", 500)), Now);

        Assert.Equal(4, result.Replicas);
    }

    [Fact]
    public void An_average_value_within_tolerance_keeps_the_current_replicas()
    {
        var result = ReplicaCalculator.RawResourceReplicas(2, 500, "cpu", null, [Pod("a"), Pod("b")], Metrics(("a", 520), ("b", 520)), Now);

        Assert.Equal((2, 520L), (result.Replicas, result.RawAverageMilliValue));
    }

    [Fact]
    public void Pods_missing_metrics_count_at_the_target_on_an_average_value_scale_down()
    {
        // The three sampled pods alone (100 of 500) would ask for 1; the missing one at 500 makes the average 200.
        var result = ReplicaCalculator.RawResourceReplicas(
            4, 500, "cpu", null, [Pod("a"), Pod("b"), Pod("c"), Pod("d")], Metrics(("a", 100), ("b", 100), ("c", 100)), Now);

        Assert.Equal((2, 100L), (result.Replicas, result.RawAverageMilliValue));
    }

    [Fact]
    public void An_average_value_target_sets_unready_pods_aside_like_a_utilization_target()
    {
        var starting = Pod("c", ready: "False", started: Now.AddMinutes(-1));

        var result = ReplicaCalculator.RawResourceReplicas(3, 300, "cpu", null, [Pod("a"), Pod("b"), starting], Metrics(("a", 500), ("b", 700), ("c", 300)), Now);

        // Ready pods average 600 (ratio 2); with the unready pod at 0 the average is 400, a ratio of 1.33 over 3 pods.
        Assert.Equal((4, 600L), (result.Replicas, result.RawAverageMilliValue));
    }

    [Fact]
    public void Tolerances_come_from_the_behavior_or_the_cluster_default()
    {
        var behavior = new V2HorizontalPodAutoscalerBehavior { ScaleUp = new V2HPAScalingRules { Tolerance = new ResourceQuantity("0.05") } };

        Assert.Equal(new Tolerances(0.1, 0.05), Tolerances.For(behavior));
        Assert.Equal(new Tolerances(0.2, 0.2), Tolerances.For(null, 0.2));
        Assert.Equal("[down:10.0%, up:5.0%]", Tolerances.For(behavior).ToString());
    }

    private static V1Pod WithSidecar(V1Pod pod)
    {
        pod.Spec.Containers.Add(Container("sidecar", null));
        return pod;
    }
}
