using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Core.Resources.Conversion;
using Xunit;

namespace Gantry.Tests.Registry;

public sealed class HorizontalPodAutoscalerV1ConversionTests
{
    private const string Metrics = HorizontalPodAutoscalerV1Conversion.MetricSpecsAnnotation;
    private const string CurrentMetrics = HorizontalPodAutoscalerV1Conversion.MetricStatusesAnnotation;
    private const string Behavior = HorizontalPodAutoscalerV1Conversion.BehaviorSpecsAnnotation;
    private const string Conditions = HorizontalPodAutoscalerV1Conversion.ConditionsAnnotation;

    private readonly HorizontalPodAutoscalerV1Conversion _conversion = new();

    /// <summary>A stored autoscaler that uses every kind of metric, a behavior, a status and conditions.</summary>
    private static JsonObject Stored() => Parse("""
        {
          "apiVersion": "autoscaling/v2",
          "kind": "HorizontalPodAutoscaler",
          "metadata": { "name": "web", "namespace": "default", "annotations": { "team": "blue" } },
          "spec": {
            "scaleTargetRef": { "apiVersion": "apps/v1", "kind": "Deployment", "name": "web" },
            "minReplicas": 2,
            "maxReplicas": 10,
            "metrics": [
              { "type": "Pods", "pods": { "metric": { "name": "qps", "selector": { "matchLabels": { "app": "web" } } },
                                          "target": { "type": "AverageValue", "averageValue": "1k" } } },
              { "type": "Object", "object": { "describedObject": { "apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "name": "main" },
                                              "target": { "type": "Value", "value": "10k" }, "metric": { "name": "hits" } } },
              { "type": "External", "external": { "metric": { "name": "queue", "selector": { "matchExpressions": [ { "key": "q", "operator": "In", "values": [ "jobs" ] } ] } },
                                                  "target": { "type": "AverageValue", "averageValue": "30" } } },
              { "type": "ContainerResource", "containerResource": { "name": "memory", "target": { "type": "Utilization", "averageUtilization": 70 }, "container": "app" } },
              { "type": "Resource", "resource": { "name": "memory", "target": { "type": "AverageValue", "averageValue": "500Mi" } } },
              { "type": "Resource", "resource": { "name": "cpu", "target": { "type": "Utilization", "averageUtilization": 60 } } }
            ],
            "behavior": {
              "scaleUp": { "stabilizationWindowSeconds": 0, "selectPolicy": "Max",
                           "policies": [ { "type": "Pods", "value": 4, "periodSeconds": 15 }, { "type": "Percent", "value": 100, "periodSeconds": 15 } ] },
              "scaleDown": { "stabilizationWindowSeconds": 300, "selectPolicy": "Min",
                             "policies": [ { "type": "Percent", "value": 10, "periodSeconds": 60 } ], "tolerance": "50m" }
            }
          },
          "status": {
            "observedGeneration": 3,
            "lastScaleTime": "2024-05-01T10:00:00Z",
            "currentReplicas": 4,
            "desiredReplicas": 5,
            "currentMetrics": [
              { "type": "Resource", "resource": { "name": "cpu", "current": { "averageValue": "250m", "averageUtilization": 55 } } },
              { "type": "Pods", "pods": { "metric": { "name": "qps" }, "current": { "averageValue": "900" } } },
              { "type": "Object", "object": { "metric": { "name": "hits" }, "current": { "value": "9k" },
                                              "describedObject": { "apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "name": "main" } } },
              { "type": "External", "external": { "metric": { "name": "queue" }, "current": { "value": "12", "averageValue": "3" } } },
              { "type": "ContainerResource", "containerResource": { "name": "memory", "current": { "averageValue": "200Mi", "averageUtilization": 65 }, "container": "app" } }
            ],
            "conditions": [
              { "type": "AbleToScale", "status": "True", "lastTransitionTime": "2024-05-01T09:00:00Z", "reason": "ReadyForNewScale",
                "message": "recommended size matches current size" },
              { "type": "ScalingActive", "status": "True", "lastTransitionTime": "2024-05-01T09:00:00Z", "reason": "ValidMetricFound",
                "message": "the HPA was able to compute the replica count", "observedGeneration": 3 }
            ]
          }
        }
        """);

    private static JsonObject CpuOnly(int percent = 60) => Parse($$"""
        {
          "apiVersion": "autoscaling/v2",
          "kind": "HorizontalPodAutoscaler",
          "metadata": { "name": "web", "namespace": "default" },
          "spec": {
            "scaleTargetRef": { "apiVersion": "apps/v1", "kind": "Deployment", "name": "web" },
            "minReplicas": 1,
            "maxReplicas": 4,
            "metrics": [ { "type": "Resource", "resource": { "name": "cpu", "target": { "type": "Utilization", "averageUtilization": {{percent}} } } } ]
          },
          "status": { "currentReplicas": 2, "desiredReplicas": 2 }
        }
        """);

    private static JsonObject Served(string annotations = "{}", string spec = """{ "targetCPUUtilizationPercentage": 50 }""") => Parse($$"""
        {
          "apiVersion": "autoscaling/v1",
          "kind": "HorizontalPodAutoscaler",
          "metadata": { "name": "web", "namespace": "default", "annotations": {{annotations}} },
          "spec": {{spec}}
        }
        """);

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    private static string? AnnotationOf(JsonObject obj, string name) => obj["metadata"]?["annotations"]?[name]?.GetValue<string>();

    private static void AssertJsonEqual(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}{Environment.NewLine}but got {actual?.ToJsonString()}");

    [Fact]
    public void The_v1_type_is_served_by_converting_the_stored_v2_type()
    {
        var served = Assert.Single(ResourceCatalog.ConvertedTypes, t => t.Group == "autoscaling" && t.Plural == "horizontalpodautoscalers");

        Assert.IsType<HorizontalPodAutoscalerV1Conversion>(served.Conversion);
        Assert.Equal("v2", ResourceCatalog.StorageOf(served).Version);
    }

    [Fact]
    public void An_autoscaler_on_cpu_alone_reads_as_plain_v1_without_annotations()
    {
        AssertJsonEqual("""
            {
              "apiVersion": "autoscaling/v1",
              "kind": "HorizontalPodAutoscaler",
              "metadata": { "name": "web", "namespace": "default" },
              "spec": { "scaleTargetRef": { "kind": "Deployment", "name": "web", "apiVersion": "apps/v1" },
                        "minReplicas": 1, "maxReplicas": 4, "targetCPUUtilizationPercentage": 60 },
              "status": { "currentReplicas": 2, "desiredReplicas": 2 }
            }
            """, _conversion.FromStorage(CpuOnly()));
    }

    [Fact]
    public void The_status_of_a_new_autoscaler_reads_as_zero_replicas_as_v1_always_writes_them()
    {
        var stored = CpuOnly();
        stored.Remove("status");

        AssertJsonEqual("""{ "currentReplicas": 0, "desiredReplicas": 0 }""", _conversion.FromStorage(stored)["status"]);
    }

    [Fact]
    public void The_cpu_utilization_target_and_current_utilization_become_the_v1_fields()
    {
        var served = _conversion.FromStorage(Stored());

        Assert.Equal(60, served["spec"]!["targetCPUUtilizationPercentage"]!.GetValue<int>());
        AssertJsonEqual("""
            { "observedGeneration": 3, "lastScaleTime": "2024-05-01T10:00:00Z", "currentReplicas": 4, "desiredReplicas": 5,
              "currentCPUUtilizationPercentage": 55 }
            """, served["status"]);
    }

    [Fact]
    public void Other_metrics_are_kept_in_the_metrics_annotation_as_v1_metric_specs()
    {
        Assert.Equal(
            """[{"type":"Pods","pods":{"metricName":"qps","targetAverageValue":"1k","selector":{"matchLabels":{"app":"web"}}}},"""
            + """{"type":"Object","object":{"target":{"kind":"Ingress","name":"main","apiVersion":"networking.k8s.io/v1"},"metricName":"hits","targetValue":"10k"}},"""
            + """{"type":"External","external":{"metricName":"queue","metricSelector":{"matchExpressions":[{"key":"q","operator":"In","values":["jobs"]}]},"targetAverageValue":"30"}},"""
            + """{"type":"ContainerResource","containerResource":{"name":"memory","targetAverageUtilization":70,"container":"app"}},"""
            + """{"type":"Resource","resource":{"name":"memory","targetAverageValue":"500Mi"}}]""",
            AnnotationOf(_conversion.FromStorage(Stored()), Metrics));
    }

    [Fact]
    public void Every_current_metric_is_kept_in_the_current_metrics_annotation_the_cpu_one_too()
    {
        Assert.Equal(
            """[{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":55,"currentAverageValue":"250m"}},"""
            + """{"type":"Pods","pods":{"metricName":"qps","currentAverageValue":"900"}},"""
            + """{"type":"Object","object":{"target":{"kind":"Ingress","name":"main","apiVersion":"networking.k8s.io/v1"},"metricName":"hits","currentValue":"9k"}},"""
            + """{"type":"External","external":{"metricName":"queue","currentValue":"12","currentAverageValue":"3"}},"""
            + """{"type":"ContainerResource","containerResource":{"name":"memory","currentAverageUtilization":65,"currentAverageValue":"200Mi","container":"app"}}]""",
            AnnotationOf(_conversion.FromStorage(Stored()), CurrentMetrics));
    }

    [Fact]
    public void The_behavior_is_kept_in_its_annotation_as_kubes_internal_type()
    {
        Assert.Equal(
            """{"ScaleUp":{"StabilizationWindowSeconds":0,"SelectPolicy":"Max","Policies":[{"Type":"Pods","Value":4,"PeriodSeconds":15},"""
            + """{"Type":"Percent","Value":100,"PeriodSeconds":15}],"Tolerance":null},"ScaleDown":"""
            + """{"StabilizationWindowSeconds":300,"SelectPolicy":"Min","Policies":[{"Type":"Percent","Value":10,"PeriodSeconds":60}],"Tolerance":"50m"}}""",
            AnnotationOf(_conversion.FromStorage(Stored()), Behavior));
    }

    [Fact]
    public void The_conditions_are_kept_in_their_annotation_escaped_as_go_escapes_them()
    {
        var stored = CpuOnly();
        stored["status"]!["conditions"] = JsonNode.Parse("""
            [ { "type": "ScalingLimited", "status": "False", "reason": "DesiredWithinRange", "message": "<ok> & fine" },
              { "type": "AbleToScale", "status": "True", "lastTransitionTime": "2024-05-01T09:00:00Z", "reason": "", "observedGeneration": 2 } ]
            """);

        Assert.Equal(
            """[{"type":"ScalingLimited","status":"False","lastTransitionTime":null,"reason":"DesiredWithinRange","message":"\u003cok\u003e \u0026 fine"},"""
            + """{"type":"AbleToScale","status":"True","lastTransitionTime":"2024-05-01T09:00:00Z","observedGeneration":2}]""",
            AnnotationOf(_conversion.FromStorage(stored), Conditions));
    }

    [Fact]
    public void Round_trip_annotations_already_on_the_stored_object_are_not_served()
    {
        var stored = CpuOnly();
        stored["metadata"]!["annotations"] = new JsonObject { [Metrics] = "[]", [Behavior] = "{}", ["team"] = "blue" };

        AssertJsonEqual("""{ "team": "blue" }""", _conversion.FromStorage(stored)["metadata"]!["annotations"]);
    }

    [Fact]
    public void A_v1_cpu_target_becomes_a_cpu_utilization_metric()
    {
        AssertJsonEqual("""
            [ { "type": "Resource", "resource": { "name": "cpu", "target": { "type": "Utilization", "averageUtilization": 50 } } } ]
            """, _conversion.ToStorage(Served())["spec"]!["metrics"]);
    }

    [Fact]
    public void A_v1_autoscaler_without_a_target_gets_kubes_implicit_80_percent_cpu_target()
    {
        var stored = _conversion.ToStorage(Served(spec: """{ "scaleTargetRef": { "kind": "Deployment", "name": "web" }, "maxReplicas": 3 }"""));

        AssertJsonEqual("""
            { "scaleTargetRef": { "kind": "Deployment", "name": "web" }, "maxReplicas": 3,
              "metrics": [ { "type": "Resource", "resource": { "name": "cpu", "target": { "type": "Utilization", "averageUtilization": 80 } } } ] }
            """, stored["spec"]);
        Assert.Equal("autoscaling/v2", stored["apiVersion"]!.GetValue<string>());
    }

    [Fact]
    public void The_round_trip_annotations_become_fields_and_leave_the_stored_annotations()
    {
        var served = Served($$"""
            {
              "team": "blue",
              "{{Metrics}}": {{JsonValue.Create("""[{"type":"Pods","pods":{"metricName":"qps","targetAverageValue":"1k"}}]""").ToJsonString()}},
              "{{Behavior}}": {{JsonValue.Create("""{"ScaleDown":{"SelectPolicy":"Disabled","Policies":[{"Type":"Pods","Value":1,"PeriodSeconds":60}]}}""").ToJsonString()}}
            }
            """);

        var stored = _conversion.ToStorage(served);

        AssertJsonEqual("""{ "team": "blue" }""", stored["metadata"]!["annotations"]);
        AssertJsonEqual("""
            [ { "type": "Pods", "pods": { "metric": { "name": "qps" }, "target": { "type": "AverageValue", "averageValue": "1k" } } },
              { "type": "Resource", "resource": { "name": "cpu", "target": { "type": "Utilization", "averageUtilization": 50 } } } ]
            """, stored["spec"]!["metrics"]);
        AssertJsonEqual("""
            { "scaleDown": { "selectPolicy": "Disabled", "policies": [ { "type": "Pods", "value": 1, "periodSeconds": 60 } ] } }
            """, stored["spec"]!["behavior"]);
    }

    [Fact]
    public void An_annotation_map_left_empty_is_removed()
    {
        var stored = _conversion.ToStorage(Served($$"""{ "{{Conditions}}": "[]" }"""));

        Assert.Null(stored["metadata"]!["annotations"]);
        Assert.Equal("web", stored["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void An_annotation_that_does_not_decode_is_ignored_and_still_removed()
    {
        var served = Served($$"""
            {
              "{{Metrics}}": "not json",
              "{{Behavior}}": {{JsonValue.Create("""{"ScaleUp":{"Policies":[{"Type":"Pods","Value":"four","PeriodSeconds":15}]}}""").ToJsonString()}},
              "{{CurrentMetrics}}": "{}",
              "{{Conditions}}": {{JsonValue.Create("""[{"type":"AbleToScale","status":"True","lastTransitionTime":"yesterday"}]""").ToJsonString()}}
            }
            """);
        served["status"] = JsonNode.Parse("""{ "currentReplicas": 1, "desiredReplicas": 1, "currentCPUUtilizationPercentage": 40 }""");

        var stored = _conversion.ToStorage(served);

        Assert.Null(stored["metadata"]!["annotations"]);
        Assert.Null(stored["spec"]!["behavior"]);
        AssertJsonEqual("""
            [ { "type": "Resource", "resource": { "name": "cpu", "target": { "type": "Utilization", "averageUtilization": 50 } } } ]
            """, stored["spec"]!["metrics"]);
        AssertJsonEqual("""
            { "currentReplicas": 1, "desiredReplicas": 1,
              "currentMetrics": [ { "type": "Resource", "resource": { "name": "cpu", "current": { "averageUtilization": 40 } } } ] }
            """, stored["status"]);
    }

    [Fact]
    public void Annotations_are_read_with_gos_case_insensitive_field_names()
    {
        var served = Served($$"""
            { "{{Behavior}}": {{JsonValue.Create("""{"scaleUp":{"selectPolicy":"Min","policies":[{"type":"Pods","value":2,"periodSeconds":30}]}}""").ToJsonString()}} }
            """);

        AssertJsonEqual("""
            { "scaleUp": { "selectPolicy": "Min", "policies": [ { "type": "Pods", "value": 2, "periodSeconds": 30 } ] } }
            """, _conversion.ToStorage(served)["spec"]!["behavior"]);
    }

    [Fact]
    public void A_v1_object_metric_with_an_average_value_keeps_kubes_zero_target_value()
    {
        var served = Served($$"""
            { "{{Metrics}}": {{JsonValue.Create(
                """[{"type":"Object","object":{"target":{"kind":"Ingress","name":"main"},"metricName":"hits","averageValue":"100"}}]""").ToJsonString()}} }
            """);

        AssertJsonEqual("""
            { "type": "Object", "object": { "describedObject": { "kind": "Ingress", "name": "main" },
                                            "target": { "type": "AverageValue", "value": "0", "averageValue": "100" }, "metric": { "name": "hits" } } }
            """, _conversion.ToStorage(served)["spec"]!["metrics"]![0]);
    }

    [Fact]
    public void A_stored_autoscaler_read_as_v1_and_written_back_is_unchanged()
    {
        var stored = Stored();

        var roundTripped = _conversion.ToStorage(_conversion.FromStorage(stored));

        AssertJsonEqual(stored.ToJsonString(), roundTripped);
    }

    [Fact]
    public void A_v1_autoscaler_written_and_read_back_is_unchanged()
    {
        var served = _conversion.FromStorage(Stored());

        AssertJsonEqual(served.ToJsonString(), _conversion.FromStorage(_conversion.ToStorage(served)));
    }

    [Fact]
    public void The_cpu_target_comes_back_after_the_other_metrics_as_kube_orders_them()
    {
        var stored = Stored();
        var metrics = stored["spec"]!["metrics"]!.AsArray();
        var cpu = metrics[^1]!;
        metrics.RemoveAt(metrics.Count - 1);
        metrics.Insert(0, cpu);

        var roundTripped = _conversion.ToStorage(_conversion.FromStorage(stored));

        Assert.Equal(
            ["Pods", "Object", "External", "ContainerResource", "Resource", "Resource"],
            roundTripped["spec"]!["metrics"]!.AsArray().Select(m => m!["type"]!.GetValue<string>()));
        Assert.Equal("cpu", roundTripped["spec"]!["metrics"]![5]!["resource"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Neither_direction_changes_its_input()
    {
        var stored = Stored();
        var served = _conversion.FromStorage(Stored());
        var storedBefore = stored.DeepClone();
        var servedBefore = served.DeepClone();

        _ = _conversion.FromStorage(stored);
        _ = _conversion.ToStorage(served);

        Assert.True(JsonNode.DeepEquals(storedBefore, stored));
        Assert.True(JsonNode.DeepEquals(servedBefore, served));
    }
}
