using Gantry.Core.Resources.Conversion;
using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Registry;

public sealed class HorizontalPodAutoscalerRulesTests
{
    private readonly IResourceRules _rules = new HorizontalPodAutoscalerRules();

    private static V2HorizontalPodAutoscaler Autoscaler(params V2MetricSpec[] metrics) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
        Spec = new V2HorizontalPodAutoscalerSpec
        {
            ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "web" },
            MinReplicas = 1,
            MaxReplicas = 5,
            Metrics = metrics.Length > 0 ? metrics : [CpuUtilization(80)],
        },
    };

    private static V2MetricSpec CpuUtilization(int percent) => new()
    {
        Type = "Resource",
        Resource = new V2ResourceMetricSource { Name = "cpu", Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = percent } },
    };

    private static V2MetricSpec ObjectMetric(string apiVersion = "networking.k8s.io/v1") => new()
    {
        Type = "Object",
        ObjectProperty = new V2ObjectMetricSource
        {
            DescribedObject = new V2CrossVersionObjectReference { ApiVersion = apiVersion, Kind = "Ingress", Name = "main" },
            Metric = new V2MetricIdentifier { Name = "hits" },
            Target = new V2MetricTarget { Type = "Value", Value = new ResourceQuantity("10k") },
        },
    };

    private static V2HPAScalingRules Rules(params V2HPAScalingPolicy[] policies) => new() { Policies = policies };

    private static V2HPAScalingPolicy Policy(string type = "Pods", int value = 1, int periodSeconds = 60) =>
        new() { Type = type, Value = value, PeriodSeconds = periodSeconds };

    private IEnumerable<string> Errors(V2HorizontalPodAutoscaler hpa) => _rules.ValidateCreate(hpa).Select(e => e.ToString());

    private IEnumerable<string> UpdateErrors(V2HorizontalPodAutoscaler hpa, V2HorizontalPodAutoscaler old) =>
        _rules.ValidateUpdate(hpa, old).Select(e => e.ToString());

    private V2HorizontalPodAutoscaler Defaulted(V2HorizontalPodAutoscaler hpa)
    {
        _rules.Default(hpa);
        return hpa;
    }

    [Fact]
    public void An_autoscaler_of_a_deployment_on_cpu_is_valid()
    {
        Assert.Empty(Errors(Autoscaler()));
    }

    [Fact]
    public void Defaulting_sets_one_minimum_replica_and_an_80_percent_cpu_target()
    {
        var hpa = Autoscaler();
        hpa.Spec.MinReplicas = null;
        hpa.Spec.Metrics = null;

        var spec = Defaulted(hpa).Spec;

        Assert.Equal(1, spec.MinReplicas);
        var metric = Assert.Single(spec.Metrics);
        Assert.Equal("Resource", metric.Type);
        Assert.Equal("cpu", metric.Resource.Name);
        Assert.Equal("Utilization", metric.Resource.Target.Type);
        Assert.Equal(80, metric.Resource.Target.AverageUtilization);
    }

    [Fact]
    public void Defaulting_adds_no_behavior_to_an_autoscaler_without_one()
    {
        Assert.Null(Defaulted(Autoscaler()).Spec.Behavior);
    }

    [Fact]
    public void Defaulting_fills_an_empty_behavior_with_kubes_scale_up_and_scale_down_rules()
    {
        var hpa = Autoscaler();
        hpa.Spec.Behavior = new V2HorizontalPodAutoscalerBehavior();

        var behavior = Defaulted(hpa).Spec.Behavior;

        Assert.Equal(0, behavior.ScaleUp.StabilizationWindowSeconds);
        Assert.Equal("Max", behavior.ScaleUp.SelectPolicy);
        Assert.Equal(
            [("Pods", 4, 15), ("Percent", 100, 15)],
            behavior.ScaleUp.Policies.Select(p => (p.Type, p.Value, p.PeriodSeconds)));
        Assert.Null(behavior.ScaleUp.Tolerance);

        Assert.Null(behavior.ScaleDown.StabilizationWindowSeconds);
        Assert.Equal("Max", behavior.ScaleDown.SelectPolicy);
        Assert.Equal([("Percent", 100, 15)], behavior.ScaleDown.Policies.Select(p => (p.Type, p.Value, p.PeriodSeconds)));
    }

    [Fact]
    public void Defaulting_keeps_every_scaling_rule_a_client_set()
    {
        var hpa = Autoscaler();
        hpa.Spec.Behavior = new V2HorizontalPodAutoscalerBehavior
        {
            ScaleUp = new V2HPAScalingRules { StabilizationWindowSeconds = 30, Tolerance = new ResourceQuantity("50m") },
            ScaleDown = new V2HPAScalingRules { SelectPolicy = "Disabled", Policies = [Policy("Pods", 2, 30)] },
        };

        var behavior = Defaulted(hpa).Spec.Behavior;

        Assert.Equal(30, behavior.ScaleUp.StabilizationWindowSeconds);
        Assert.Equal("50m", behavior.ScaleUp.Tolerance.ToString());
        Assert.Equal("Max", behavior.ScaleUp.SelectPolicy);
        Assert.Equal(2, behavior.ScaleUp.Policies.Count);
        Assert.Equal("Disabled", behavior.ScaleDown.SelectPolicy);
        Assert.Equal([("Pods", 2, 30)], behavior.ScaleDown.Policies.Select(p => (p.Type, p.Value, p.PeriodSeconds)));
        Assert.Null(behavior.ScaleDown.StabilizationWindowSeconds);
    }

    [Fact]
    public void Defaulting_drops_the_annotations_that_carry_v2_fields_through_autoscaling_v1()
    {
        var hpa = Autoscaler();
        hpa.Metadata.Annotations = HorizontalPodAutoscalerV1Conversion.RoundTripAnnotations.ToDictionary(a => a, _ => "[]");
        hpa.Metadata.Annotations["team"] = "blue";

        Assert.Equal(["team"], Defaulted(hpa).Metadata.Annotations.Keys);

        hpa.Metadata.Annotations = new Dictionary<string, string> { [HorizontalPodAutoscalerV1Conversion.MetricSpecsAnnotation] = "[]" };
        Assert.Null(Defaulted(hpa).Metadata.Annotations);
    }

    [Fact]
    public void MinReplicas_below_one_is_invalid_while_scaling_to_zero_is_off()
    {
        var hpa = Autoscaler();
        hpa.Spec.MinReplicas = 0;

        Assert.Equal(
            [
                "spec.minReplicas: Invalid value: 0: must be greater than or equal to 1",
                "spec.metrics: Forbidden: must specify at least one Object or External metric to support scaling to zero replicas",
            ],
            Errors(hpa));
    }

    [Fact]
    public void MaxReplicas_must_be_positive_and_at_least_minReplicas()
    {
        var hpa = Autoscaler();
        hpa.Spec.MaxReplicas = 0;

        Assert.Equal(
            [
                "spec.maxReplicas: Invalid value: 0: must be greater than 0",
                "spec.maxReplicas: Invalid value: 0: must be greater than or equal to `minReplicas`",
            ],
            Errors(hpa));

        hpa.Spec.MinReplicas = 3;
        hpa.Spec.MaxReplicas = 2;
        Assert.Equal(["spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`"], Errors(hpa));
    }

    [Fact]
    public void The_scale_target_needs_a_kind_and_a_name_that_are_path_segments()
    {
        var hpa = Autoscaler();
        hpa.Spec.ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1" };
        Assert.Equal(["spec.scaleTargetRef.kind: Required value", "spec.scaleTargetRef.name: Required value"], Errors(hpa));

        hpa.Spec.ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "..", Name = "a/b%c" };
        Assert.Equal(
            [
                "spec.scaleTargetRef.kind: Invalid value: \"..\": may not be '..'",
                "spec.scaleTargetRef.name: Invalid value: \"a/b%c\": may not contain '/'",
                "spec.scaleTargetRef.name: Invalid value: \"a/b%c\": may not contain '%'",
            ],
            Errors(hpa));
    }

    [Fact]
    public void The_scale_target_apiVersion_must_name_an_api_group()
    {
        var hpa = Autoscaler();
        hpa.Spec.ScaleTargetRef.ApiVersion = "v1";
        Assert.Equal(["spec.scaleTargetRef.apiVersion: Invalid value: \"v1\": apiVersion must specify API group"], Errors(hpa));

        hpa.Spec.ScaleTargetRef.ApiVersion = null;
        Assert.Equal(["spec.scaleTargetRef.apiVersion: Invalid value: \"\": apiVersion must specify API group"], Errors(hpa));

        hpa.Spec.ScaleTargetRef.ApiVersion = "apps/v1/x";
        Assert.Equal(["spec.scaleTargetRef.apiVersion: Invalid value: \"apps/v1/x\": unexpected GroupVersion string: apps/v1/x"], Errors(hpa));
    }

    [Fact]
    public void A_replication_controller_target_may_name_the_core_api()
    {
        var hpa = Autoscaler();
        hpa.Spec.ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "v1", Kind = "ReplicationController", Name = "web" };
        Assert.Empty(Errors(hpa));

        hpa.Spec.ScaleTargetRef.ApiVersion = null;
        Assert.Empty(Errors(hpa));
    }

    [Fact]
    public void An_update_that_keeps_the_target_kind_and_apiVersion_does_not_check_the_apiVersion_again()
    {
        var old = Autoscaler();
        old.Spec.ScaleTargetRef.ApiVersion = "v1";
        var hpa = Autoscaler();
        hpa.Spec.ScaleTargetRef.ApiVersion = "v1";
        hpa.Spec.MaxReplicas = 7;

        Assert.Empty(UpdateErrors(hpa, old));

        hpa.Spec.ScaleTargetRef.Kind = "StatefulSet";
        Assert.Equal(["spec.scaleTargetRef.apiVersion: Invalid value: \"v1\": apiVersion must specify API group"], UpdateErrors(hpa, old));
    }

    [Fact]
    public void The_object_of_an_object_metric_may_be_in_the_core_api_but_needs_a_parseable_apiVersion()
    {
        Assert.Empty(Errors(Autoscaler(ObjectMetric("v1"))));
        Assert.Empty(Errors(Autoscaler(ObjectMetric(""))));
        Assert.Equal(
            ["spec.metrics[0].object.describedObject.apiVersion: Invalid value: \"a/b/c\": unexpected GroupVersion string: a/b/c"],
            Errors(Autoscaler(ObjectMetric("a/b/c"))));
    }

    [Fact]
    public void An_update_accepts_object_metrics_whose_apiVersion_was_already_invalid()
    {
        Assert.Empty(UpdateErrors(Autoscaler(ObjectMetric("a/b/c")), Autoscaler(ObjectMetric("x/y/z"))));
        Assert.Single(UpdateErrors(Autoscaler(ObjectMetric("a/b/c")), Autoscaler(ObjectMetric())));
    }

    [Fact]
    public void MinReplicas_may_stay_zero_on_update_with_an_object_or_external_metric()
    {
        var old = Autoscaler(ObjectMetric());
        old.Spec.MinReplicas = 0;
        var hpa = Autoscaler(ObjectMetric());
        hpa.Spec.MinReplicas = 0;

        var cpuOnly = Autoscaler(CpuUtilization(50));
        cpuOnly.Spec.MinReplicas = 0;

        Assert.Empty(UpdateErrors(hpa, old));
        Assert.Equal(
            ["spec.metrics: Forbidden: must specify at least one Object or External metric to support scaling to zero replicas"],
            UpdateErrors(cpuOnly, old));
        Assert.Equal(
            ["spec.minReplicas: Invalid value: 0: must be greater than or equal to 1"],
            UpdateErrors(hpa, Autoscaler(ObjectMetric())));
    }

    [Fact]
    public void A_metric_needs_a_known_type()
    {
        const string Supported = "supported values: \"ContainerResource\", \"External\", \"Object\", \"Pods\", \"Resource\"";

        Assert.Equal(
            [
                "spec.metrics[0].type: Required value: must specify a metric source type",
                $"spec.metrics[0].type: Unsupported value: \"\": {Supported}",
                $"spec.metrics[0].type: Unsupported value: \"\": {Supported}",
            ],
            Errors(Autoscaler(new V2MetricSpec())));
        Assert.Equal(
            [
                $"spec.metrics[0].type: Unsupported value: \"Custom\": {Supported}",
                $"spec.metrics[0].type: Unsupported value: \"Custom\": {Supported}",
            ],
            Errors(Autoscaler(new V2MetricSpec { Type = "Custom" })));
    }

    [Fact]
    public void A_metric_must_populate_the_source_its_type_names_and_no_other()
    {
        var metric = CpuUtilization(50);
        metric.Type = "Pods";
        Assert.Equal(["spec.metrics[0].pods: Required value: must populate information for the given metric source"], Errors(Autoscaler(metric)));

        metric = CpuUtilization(50);
        metric.Pods = new V2PodsMetricSource
        {
            Metric = new V2MetricIdentifier { Name = "qps" },
            Target = new V2MetricTarget { Type = "AverageValue", AverageValue = new ResourceQuantity("1") },
        };
        metric.External = new V2ExternalMetricSource();
        Assert.Equal(
            [
                "spec.metrics[0].external.metric.name: Required value: must specify a metric name",
                "spec.metrics[0].external.target.type: Required value: must specify a metric target type",
                "spec.metrics[0].external.target.type: Invalid value: \"\": must be either Utilization, Value, or AverageValue",
                "spec.metrics[0].external.target.averageValue: Required value: must set either a target value for metric or a per-pod target",
                "spec.metrics[0].external: Forbidden: must populate the given metric source only",
                "spec.metrics[0].pods: Forbidden: must populate the given metric source only",
            ],
            Errors(Autoscaler(metric)));
    }

    [Fact]
    public void A_resource_metric_targets_either_a_utilization_or_an_average_value()
    {
        var metric = CpuUtilization(50);
        metric.Resource.Target = new V2MetricTarget { Type = "Utilization" };
        Assert.Equal(
            ["spec.metrics[0].resource.target.averageUtilization: Required value: must set either a target raw value or a target utilization"],
            Errors(Autoscaler(metric)));

        metric.Resource.Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = 50, AverageValue = new ResourceQuantity("100m") };
        Assert.Equal(
            ["spec.metrics[0].resource.target.averageValue: Forbidden: may not set both a target raw value and a target utilization"],
            Errors(Autoscaler(metric)));

        metric.Resource = new V2ResourceMetricSource { Target = new V2MetricTarget { Type = "AverageValue", AverageValue = new ResourceQuantity("100m") } };
        Assert.Equal(["spec.metrics[0].resource.name: Required value: must specify a resource name"], Errors(Autoscaler(metric)));
    }

    [Fact]
    public void A_metric_target_has_a_known_type_and_positive_amounts()
    {
        var metric = CpuUtilization(0);
        metric.Resource.Target.Type = "Percent";
        Assert.Equal(
            [
                "spec.metrics[0].resource.target.type: Invalid value: \"Percent\": must be either Utilization, Value, or AverageValue",
                "spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0",
            ],
            Errors(Autoscaler(metric)));

        var objectMetric = ObjectMetric();
        objectMetric.ObjectProperty.Target.Value = new ResourceQuantity("0");
        objectMetric.ObjectProperty.Target.AverageValue = new ResourceQuantity("-1");
        Assert.Equal(
            [
                "spec.metrics[0].object.target.value: Invalid value: resource.Quantity{...}: must be positive",
                "spec.metrics[0].object.target.averageValue: Invalid value: resource.Quantity{...}: must be positive",
            ],
            Errors(Autoscaler(objectMetric)));
    }

    [Fact]
    public void An_object_metric_needs_a_value_or_an_average_value_and_a_described_object()
    {
        var metric = ObjectMetric();
        metric.ObjectProperty.Target.Value = null;
        metric.ObjectProperty.DescribedObject.Name = null;

        Assert.Equal(
            [
                "spec.metrics[0].object.describedObject.name: Required value",
                "spec.metrics[0].object.target.averageValue: Required value: must set either a target value or averageValue",
            ],
            Errors(Autoscaler(metric)));
    }

    [Fact]
    public void A_pods_metric_needs_an_average_value_and_a_metric_name_that_is_a_path_segment()
    {
        var metric = new V2MetricSpec
        {
            Type = "Pods",
            Pods = new V2PodsMetricSource { Metric = new V2MetricIdentifier { Name = "a/b" }, Target = new V2MetricTarget { Type = "AverageValue" } },
        };

        Assert.Equal(
            [
                "spec.metrics[0].pods.metric.name: Invalid value: \"a/b\": may not contain '/'",
                "spec.metrics[0].pods.target.averageValue: Required value: must specify a positive target averageValue",
            ],
            Errors(Autoscaler(metric)));
    }

    [Fact]
    public void An_external_metric_may_not_target_both_a_value_and_an_average_value()
    {
        var metric = new V2MetricSpec
        {
            Type = "External",
            External = new V2ExternalMetricSource
            {
                Metric = new V2MetricIdentifier { Name = "queue" },
                Target = new V2MetricTarget { Type = "Value", Value = new ResourceQuantity("10"), AverageValue = new ResourceQuantity("2") },
            },
        };

        Assert.Equal(
            ["spec.metrics[0].external.target.value: Forbidden: may not set both a target value for metric and a per-pod target"],
            Errors(Autoscaler(metric)));
    }

    [Fact]
    public void A_container_resource_metric_names_a_container_resource_and_a_container()
    {
        V2MetricSpec Metric(string name, string container) => new()
        {
            Type = "ContainerResource",
            ContainerResource = new V2ContainerResourceMetricSource
            {
                Name = name,
                Container = container,
                Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = 60 },
            },
        };

        Assert.Empty(Errors(Autoscaler(Metric("memory", "app"))));
        Assert.Empty(Errors(Autoscaler(Metric("example.com/gpu", "app"))));
        Assert.Equal(
            [
                "spec.metrics[0].containerResource.name: Invalid value: \"pods\": must be a standard resource for containers",
                "spec.metrics[0].containerResource.container: Required value: must specify a container",
            ],
            Errors(Autoscaler(Metric("pods", ""))));
        Assert.Equal(
            [
                "spec.metrics[0].containerResource.name: Invalid value: \"gpus\": must be a standard resource type or fully qualified",
                "spec.metrics[0].containerResource.name: Invalid value: \"gpus\": must be a standard resource for containers",
            ],
            Errors(Autoscaler(Metric("gpus", "app"))));
        Assert.Single(Errors(Autoscaler(Metric("memory", "App"))), e => e.StartsWith(
            "spec.metrics[0].containerResource.container: Invalid value: \"App\": a lowercase RFC 1123 label", StringComparison.Ordinal));
    }

    [Fact]
    public void Scaling_rules_keep_their_windows_periods_and_values_in_range()
    {
        var hpa = Autoscaler();
        hpa.Spec.Behavior = new V2HorizontalPodAutoscalerBehavior
        {
            ScaleUp = new V2HPAScalingRules
            {
                StabilizationWindowSeconds = 3601,
                SelectPolicy = "Sometimes",
                Policies = [Policy("Replicas", 0, 0), Policy("Percent", 10, 1801)],
                Tolerance = new ResourceQuantity("-1"),
            },
            ScaleDown = new V2HPAScalingRules { StabilizationWindowSeconds = -1, Policies = [] },
        };

        Assert.Equal(
            [
                "spec.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: 3601: must be less than or equal to 3600",
                "spec.behavior.scaleUp.selectPolicy: Unsupported value: \"Sometimes\": supported values: \"Disabled\", \"Max\", \"Min\"",
                "spec.behavior.scaleUp.policies[0].type: Unsupported value: \"Replicas\": supported values: \"Percent\", \"Pods\"",
                "spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero",
                "spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 0: must be greater than zero",
                "spec.behavior.scaleUp.policies[1].periodSeconds: Invalid value: 1801: must be less than or equal to 1800",
                "spec.behavior.scaleUp.tolerance: Invalid value: \"-1\": must be greater than or equal to 0",
                "spec.behavior.scaleDown.stabilizationWindowSeconds: Invalid value: -1: must be greater than or equal to zero",
                "spec.behavior.scaleDown.policies: Required value: must specify at least one Policy",
            ],
            Errors(hpa));
    }

    [Fact]
    public void A_defaulted_behavior_is_valid()
    {
        var hpa = Autoscaler();
        hpa.Spec.Behavior = new V2HorizontalPodAutoscalerBehavior { ScaleDown = new V2HPAScalingRules { Tolerance = new ResourceQuantity("0") } };

        Assert.Empty(Errors(Defaulted(hpa)));
    }

    [Fact]
    public void A_status_write_checks_the_replica_counts_and_not_the_spec()
    {
        var hpa = Autoscaler();
        hpa.Spec.MaxReplicas = 0;
        hpa.Status = new V2HorizontalPodAutoscalerStatus { CurrentReplicas = -1, DesiredReplicas = -2 };

        Assert.Equal(
            [
                "status.currentReplicas: Invalid value: -1: must be greater than or equal to 0",
                "status.desiredReplicas: Invalid value: -2: must be greater than or equal to 0",
            ],
            _rules.ValidateStatusUpdate(hpa, Autoscaler()).Select(e => e.ToString()));
    }
}
