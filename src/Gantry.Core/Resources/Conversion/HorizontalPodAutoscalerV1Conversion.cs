using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Core.Resources.Conversion;

/// <summary>
/// autoscaling/v1 HorizontalPodAutoscalers from and to autoscaling/v2, as kube's autoscaling/v1 conversion
/// (<c>pkg/apis/autoscaling/v1/conversion.go</c>) does it through the internal type. v1 holds one CPU utilization target;
/// everything else a v2 object says is kept in four annotations, in the JSON kube writes there, so that a v1 client that
/// reads, changes and writes back an object loses nothing:
/// <list type="bullet">
/// <item><see cref="MetricSpecsAnnotation"/>: the metrics other than the CPU utilization target, as a v1 <c>[]MetricSpec</c>;</item>
/// <item><see cref="MetricStatusesAnnotation"/>: every current metric, as a v1 <c>[]MetricStatus</c>;</item>
/// <item><see cref="BehaviorSpecsAnnotation"/>: the behavior, as kube's internal <c>HorizontalPodAutoscalerBehavior</c>
/// (Go field names: <c>{"ScaleUp":{"StabilizationWindowSeconds":0,"SelectPolicy":"Max","Policies":[...],"Tolerance":null},...}</c>);</item>
/// <item><see cref="ConditionsAnnotation"/>: the conditions, as a v1 <c>[]HorizontalPodAutoscalerCondition</c>.</item>
/// </list>
/// Each is written only when there is something to keep. Reading v1, an annotation that does not decode is ignored,
/// as kube ignores it, and all four are removed from the stored object either way.
/// </summary>
/// <remarks>
/// Two consequences of kube's conversion survive here on purpose: the CPU utilization target comes back after the other
/// metrics (a stored <c>[cpu, pods]</c> reads back as <c>[pods, cpu]</c>), and a v1 object without a CPU target or other
/// metrics gets kube's implicit 80% CPU utilization target.
/// </remarks>
public sealed class HorizontalPodAutoscalerV1Conversion : ConversionFunctions
{
    /// <summary>The metrics other than the CPU utilization target (kube's <c>MetricSpecsAnnotation</c>).</summary>
    public const string MetricSpecsAnnotation = "autoscaling.alpha.kubernetes.io/metrics";

    /// <summary>The current metrics (kube's <c>MetricStatusesAnnotation</c>).</summary>
    public const string MetricStatusesAnnotation = "autoscaling.alpha.kubernetes.io/current-metrics";

    /// <summary>The scaling behavior (kube's <c>BehaviorSpecsAnnotation</c>).</summary>
    public const string BehaviorSpecsAnnotation = "autoscaling.alpha.kubernetes.io/behavior";

    /// <summary>The status conditions (kube's <c>HorizontalPodAutoscalerConditionsAnnotation</c>).</summary>
    public const string ConditionsAnnotation = "autoscaling.alpha.kubernetes.io/conditions";

    /// <summary>The CPU utilization target of a v1 object that names none (kube's <c>DefaultCPUUtilization</c>).</summary>
    public const int DefaultCpuUtilization = 80;

    private const string Kind = "HorizontalPodAutoscaler";

    /// <summary>
    /// The annotations that carry v2 fields through v1 (kube's <c>DropRoundTripHorizontalPodAutoscalerAnnotations</c>),
    /// which no stored object keeps.
    /// </summary>
    public static IReadOnlyList<string> RoundTripAnnotations { get; } =
        [MetricSpecsAnnotation, BehaviorSpecsAnnotation, MetricStatusesAnnotation, ConditionsAnnotation];

    /// <summary>Both versions select by the same metadata fields.</summary>
    public override string? StoredFieldLabel(string label) => label;

    public override JsonObject FromStorage(JsonObject stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var spec = stored["spec"] as JsonObject;
        var status = stored["status"] as JsonObject;
        var metrics = Items(spec?["metrics"]);
        var currentMetrics = Items(status?["currentMetrics"]);
        var conditions = Items(status?["conditions"]);

        var annotations = new List<KeyValuePair<string, string>>();
        var otherMetrics = metrics.Where(m => !IsCpuUtilization(m)).Select(MetricSpecToV1).ToArray<JsonNode?>();
        if (otherMetrics.Length > 0)
        {
            annotations.Add(new(MetricSpecsAnnotation, GoJson.Write(new JsonArray(otherMetrics))));
        }

        // All of them, the CPU one too: the v1 status field keeps its utilization but not its raw value.
        if (currentMetrics.Count > 0)
        {
            annotations.Add(new(MetricStatusesAnnotation, GoJson.Write(new JsonArray(currentMetrics.Select(MetricStatusToV1).ToArray<JsonNode?>()))));
        }

        if (spec?["behavior"] is JsonObject behavior)
        {
            annotations.Add(new(BehaviorSpecsAnnotation, GoJson.Write(BehaviorToInternal(behavior))));
        }

        if (conditions.Count > 0)
        {
            annotations.Add(new(ConditionsAnnotation, GoJson.Write(new JsonArray(conditions.Select(ConditionToV1).ToArray<JsonNode?>()))));
        }

        var served = new JsonObject { ["apiVersion"] = "autoscaling/v1", ["kind"] = Kind };
        if (WithRoundTripAnnotations(stored["metadata"], annotations) is { } metadata)
        {
            served["metadata"] = metadata;
        }

        served["spec"] = SpecToV1(spec, metrics);
        served["status"] = StatusToV1(status, currentMetrics);
        return served;
    }

    public override JsonObject ToStorage(JsonObject served)
    {
        ArgumentNullException.ThrowIfNull(served);
        var spec = served["spec"] as JsonObject;
        var status = served["status"] as JsonObject;
        var annotations = (served["metadata"] as JsonObject)?["annotations"] as JsonObject;

        // The v1 fields first (kube's Convert_v1_HorizontalPodAutoscalerSpec/Status_To_autoscaling_...).
        JsonArray? metrics = spec?["targetCPUUtilizationPercentage"] is JsonValue target ? [CpuUtilizationMetric(target.DeepClone())] : null;
        JsonArray? currentMetrics = status?["currentCPUUtilizationPercentage"] is JsonValue current ? [CpuUtilizationStatus(current.DeepClone())] : null;
        JsonArray? conditions = null;
        JsonObject? behavior = null;

        // Then what the annotations kept, each only if it decodes; the CPU target goes after the other metrics.
        if (Annotation(annotations, MetricSpecsAnnotation) is { } metricsText && Decode(metricsText, root => DecodeList(root, MetricSpecToV2)) is { } others)
        {
            if (metrics is not null)
            {
                others.Add(metrics[0]!.DeepClone());
            }

            metrics = others;
        }

        if (Annotation(annotations, BehaviorSpecsAnnotation) is { } behaviorText && Decode(behaviorText, BehaviorToV2) is { Count: > 0 } decoded)
        {
            behavior = decoded;
        }

        if (Annotation(annotations, MetricStatusesAnnotation) is { } currentText && Decode(currentText, root => DecodeList(root, MetricStatusToV2)) is { } statuses)
        {
            currentMetrics = statuses;
        }

        // autoscaling/v1 had an implicit CPU target, applied in the controller; the conversion makes it explicit.
        if (metrics is not { Count: > 0 })
        {
            metrics = [CpuUtilizationMetric(DefaultCpuUtilization)];
        }

        if (Annotation(annotations, ConditionsAnnotation) is { } conditionsText && Decode(conditionsText, root => DecodeList(root, ConditionToV2)) is { } decodedConditions)
        {
            conditions = decodedConditions;
        }

        var stored = new JsonObject { ["apiVersion"] = "autoscaling/v2", ["kind"] = Kind };
        if (WithRoundTripAnnotations(served["metadata"], []) is { } metadata)
        {
            stored["metadata"] = metadata;
        }

        var storedSpec = new JsonObject { ["scaleTargetRef"] = ReferenceToV2(spec?["scaleTargetRef"] as JsonObject) };
        CopyMember(spec, storedSpec, "minReplicas");
        storedSpec["maxReplicas"] = spec?["maxReplicas"]?.DeepClone() ?? 0;
        storedSpec["metrics"] = metrics;
        if (behavior is not null)
        {
            storedSpec["behavior"] = behavior;
        }

        stored["spec"] = storedSpec;
        stored["status"] = StatusToV2(status, currentMetrics, conditions);
        return stored;
    }

    // ---- autoscaling/v2 (stored) to autoscaling/v1 ----

    /// <summary>The Resource metric for cpu with a utilization target, which v1 holds in <c>targetCPUUtilizationPercentage</c>.</summary>
    private static bool IsCpuUtilization(JsonObject metric) =>
        Text(metric, "type") == "Resource"
        && metric["resource"] is JsonObject resource
        && Text(resource, "name") == "cpu"
        && resource["target"]?["averageUtilization"] is JsonValue;

    private static JsonObject SpecToV1(JsonObject? spec, List<JsonObject> metrics)
    {
        var v1 = new JsonObject { ["scaleTargetRef"] = ReferenceToV1(spec?["scaleTargetRef"] as JsonObject) };
        CopyMember(spec, v1, "minReplicas");
        v1["maxReplicas"] = spec?["maxReplicas"]?.DeepClone() ?? 0;
        if (metrics.FirstOrDefault(IsCpuUtilization) is { } cpu)
        {
            v1["targetCPUUtilizationPercentage"] = cpu["resource"]!["target"]!["averageUtilization"]!.DeepClone();
        }

        return v1;
    }

    private static JsonObject StatusToV1(JsonObject? status, List<JsonObject> currentMetrics)
    {
        var v1 = new JsonObject();
        CopyMember(status, v1, "observedGeneration");
        CopyMember(status, v1, "lastScaleTime");
        v1["currentReplicas"] = status?["currentReplicas"]?.DeepClone() ?? 0;
        v1["desiredReplicas"] = status?["desiredReplicas"]?.DeepClone() ?? 0;

        // The last cpu metric with a utilization wins, as kube's loop leaves it.
        var utilization = currentMetrics
            .Where(m => Text(m, "type") == "Resource" && m["resource"] is JsonObject r && Text(r, "name") == "cpu")
            .Select(m => m["resource"]?["current"]?["averageUtilization"])
            .LastOrDefault(u => u is JsonValue);
        if (utilization is not null)
        {
            v1["currentCPUUtilizationPercentage"] = utilization.DeepClone();
        }

        return v1;
    }

    private static JsonObject MetricSpecToV1(JsonObject metric)
    {
        var v1 = new JsonObject { ["type"] = Text(metric, "type") ?? "" };
        if (metric["object"] is JsonObject source)
        {
            var target = source["target"] as JsonObject;
            var identifier = source["metric"] as JsonObject;
            var v1Source = new JsonObject
            {
                ["target"] = ReferenceToV1(source["describedObject"] as JsonObject),
                ["metricName"] = Text(identifier, "name") ?? "",
                ["targetValue"] = QuantityOrZero(target?["value"]),
            };
            AddSelector(v1Source, "selector", identifier?["selector"]);
            AddQuantity(v1Source, "averageValue", target?["averageValue"]);
            v1["object"] = v1Source;
        }

        if (metric["pods"] is JsonObject pods)
        {
            var identifier = pods["metric"] as JsonObject;
            var v1Source = new JsonObject
            {
                ["metricName"] = Text(identifier, "name") ?? "",
                ["targetAverageValue"] = QuantityOrZero(pods["target"]?["averageValue"]),
            };
            AddSelector(v1Source, "selector", identifier?["selector"]);
            v1["pods"] = v1Source;
        }

        if (metric["resource"] is JsonObject resource)
        {
            var v1Source = new JsonObject { ["name"] = Text(resource, "name") ?? "" };
            CopyMember(resource["target"] as JsonObject, v1Source, "averageUtilization", "targetAverageUtilization");
            AddQuantity(v1Source, "targetAverageValue", resource["target"]?["averageValue"]);
            v1["resource"] = v1Source;
        }

        if (metric["containerResource"] is JsonObject container)
        {
            var v1Source = new JsonObject { ["name"] = Text(container, "name") ?? "" };
            CopyMember(container["target"] as JsonObject, v1Source, "averageUtilization", "targetAverageUtilization");
            AddQuantity(v1Source, "targetAverageValue", container["target"]?["averageValue"]);
            v1Source["container"] = Text(container, "container") ?? "";
            v1["containerResource"] = v1Source;
        }

        if (metric["external"] is JsonObject external)
        {
            var identifier = external["metric"] as JsonObject;
            var v1Source = new JsonObject { ["metricName"] = Text(identifier, "name") ?? "" };
            AddSelector(v1Source, "metricSelector", identifier?["selector"]);
            AddQuantity(v1Source, "targetValue", external["target"]?["value"]);
            AddQuantity(v1Source, "targetAverageValue", external["target"]?["averageValue"]);
            v1["external"] = v1Source;
        }

        return v1;
    }

    private static JsonObject MetricStatusToV1(JsonObject metric)
    {
        var v1 = new JsonObject { ["type"] = Text(metric, "type") ?? "" };
        if (metric["object"] is JsonObject source)
        {
            var current = source["current"] as JsonObject;
            var identifier = source["metric"] as JsonObject;
            var v1Status = new JsonObject
            {
                ["target"] = ReferenceToV1(source["describedObject"] as JsonObject),
                ["metricName"] = Text(identifier, "name") ?? "",
                ["currentValue"] = QuantityOrZero(current?["value"]),
            };
            AddSelector(v1Status, "selector", identifier?["selector"]);
            AddQuantity(v1Status, "averageValue", current?["averageValue"]);
            v1["object"] = v1Status;
        }

        if (metric["pods"] is JsonObject pods)
        {
            var identifier = pods["metric"] as JsonObject;
            var v1Status = new JsonObject
            {
                ["metricName"] = Text(identifier, "name") ?? "",
                ["currentAverageValue"] = QuantityOrZero(pods["current"]?["averageValue"]),
            };
            AddSelector(v1Status, "selector", identifier?["selector"]);
            v1["pods"] = v1Status;
        }

        if (metric["resource"] is JsonObject resource)
        {
            var v1Status = new JsonObject { ["name"] = Text(resource, "name") ?? "" };
            CopyMember(resource["current"] as JsonObject, v1Status, "averageUtilization", "currentAverageUtilization");
            v1Status["currentAverageValue"] = QuantityOrZero(resource["current"]?["averageValue"]);
            v1["resource"] = v1Status;
        }

        if (metric["containerResource"] is JsonObject container)
        {
            var v1Status = new JsonObject { ["name"] = Text(container, "name") ?? "" };
            CopyMember(container["current"] as JsonObject, v1Status, "averageUtilization", "currentAverageUtilization");
            v1Status["currentAverageValue"] = QuantityOrZero(container["current"]?["averageValue"]);
            v1Status["container"] = Text(container, "container") ?? "";
            v1["containerResource"] = v1Status;
        }

        if (metric["external"] is JsonObject external)
        {
            var identifier = external["metric"] as JsonObject;
            var v1Status = new JsonObject { ["metricName"] = Text(identifier, "name") ?? "" };
            AddSelector(v1Status, "metricSelector", identifier?["selector"]);
            v1Status["currentValue"] = QuantityOrZero(external["current"]?["value"]);
            AddQuantity(v1Status, "currentAverageValue", external["current"]?["averageValue"]);
            v1["external"] = v1Status;
        }

        return v1;
    }

    /// <summary>The behavior as Go marshals kube's internal type: its field names, no omitted members, nulls for unset pointers.</summary>
    private static JsonObject BehaviorToInternal(JsonObject behavior) => new()
    {
        ["ScaleUp"] = ScalingRulesToInternal(behavior["scaleUp"] as JsonObject),
        ["ScaleDown"] = ScalingRulesToInternal(behavior["scaleDown"] as JsonObject),
    };

    private static JsonObject? ScalingRulesToInternal(JsonObject? rules) => rules is null ? null : new JsonObject
    {
        ["StabilizationWindowSeconds"] = rules["stabilizationWindowSeconds"]?.DeepClone(),
        ["SelectPolicy"] = rules["selectPolicy"]?.DeepClone(),
        ["Policies"] = rules["policies"] is JsonArray policies
            ? new JsonArray(policies.Select(p => (JsonNode?)new JsonObject
            {
                ["Type"] = Text(p as JsonObject, "type") ?? "",
                ["Value"] = p?["value"]?.DeepClone() ?? 0,
                ["PeriodSeconds"] = p?["periodSeconds"]?.DeepClone() ?? 0,
            }).ToArray())
            : null,
        ["Tolerance"] = QuantityOrNull(rules["tolerance"]),
    };

    private static JsonObject ConditionToV1(JsonObject condition)
    {
        var v1 = new JsonObject
        {
            ["type"] = Text(condition, "type") ?? "",
            ["status"] = Text(condition, "status") ?? "",
            ["lastTransitionTime"] = condition["lastTransitionTime"]?.DeepClone(),
        };
        AddText(v1, "reason", Text(condition, "reason"));
        AddText(v1, "message", Text(condition, "message"));
        CopyMember(condition, v1, "observedGeneration");
        return v1;
    }

    private static JsonObject ReferenceToV1(JsonObject? reference)
    {
        var v1 = new JsonObject { ["kind"] = Text(reference, "kind") ?? "", ["name"] = Text(reference, "name") ?? "" };
        AddText(v1, "apiVersion", Text(reference, "apiVersion"));
        return v1;
    }

    private static void AddSelector(JsonObject to, string name, JsonNode? selector)
    {
        if (selector is not JsonObject labels)
        {
            return;
        }

        var result = new JsonObject();
        if (labels["matchLabels"] is JsonObject { Count: > 0 } matchLabels)
        {
            // Go writes map keys in order.
            result["matchLabels"] = new JsonObject(matchLabels.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        }

        if (labels["matchExpressions"] is JsonArray { Count: > 0 } expressions)
        {
            result["matchExpressions"] = new JsonArray(expressions.Select(e => (JsonNode?)Requirement(
                Text(e as JsonObject, "key") ?? "",
                Text(e as JsonObject, "operator") ?? "",
                (e?["values"] as JsonArray)?.Select(v => v is JsonValue value && value.TryGetValue<string>(out var text) ? text : "").ToList())).ToArray());
        }

        to[name] = result;
    }

    // ---- autoscaling/v1 to autoscaling/v2 (stored) ----

    private static JsonObject CpuUtilizationMetric(JsonNode utilization) => new()
    {
        ["type"] = "Resource",
        ["resource"] = new JsonObject
        {
            ["name"] = "cpu",
            ["target"] = new JsonObject { ["type"] = "Utilization", ["averageUtilization"] = utilization },
        },
    };

    private static JsonObject CpuUtilizationStatus(JsonNode utilization) => new()
    {
        ["type"] = "Resource",
        ["resource"] = new JsonObject { ["name"] = "cpu", ["current"] = new JsonObject { ["averageUtilization"] = utilization } },
    };

    private static JsonObject StatusToV2(JsonObject? status, JsonArray? currentMetrics, JsonArray? conditions)
    {
        var stored = new JsonObject();
        CopyMember(status, stored, "observedGeneration");
        CopyMember(status, stored, "lastScaleTime");

        // v2 leaves out a zero currentReplicas (omitempty); desiredReplicas it always writes.
        if (status?["currentReplicas"] is { } currentReplicas && !(currentReplicas is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.ToJsonString() == "0"))
        {
            stored["currentReplicas"] = currentReplicas.DeepClone();
        }

        stored["desiredReplicas"] = status?["desiredReplicas"]?.DeepClone() ?? 0;
        if (currentMetrics is { Count: > 0 })
        {
            stored["currentMetrics"] = currentMetrics;
        }

        if (conditions is { Count: > 0 })
        {
            stored["conditions"] = conditions;
        }

        return stored;
    }

    private static JsonObject ReferenceToV2(JsonObject? reference)
    {
        var stored = new JsonObject { ["kind"] = reference?["kind"]?.DeepClone() ?? "", ["name"] = reference?["name"]?.DeepClone() ?? "" };
        if (reference?["apiVersion"] is { } apiVersion && Text(reference, "apiVersion") != "")
        {
            stored["apiVersion"] = apiVersion.DeepClone();
        }

        return stored;
    }

    private static string? Annotation(JsonObject? annotations, string name) =>
        annotations?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>Decodes an annotation as Go's <c>json.Unmarshal</c> would, or null where that fails.</summary>
    private static T? Decode<T>(string text, Func<JsonElement, T?> decode)
        where T : class
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return decode(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return null;
        }
    }

    /// <summary>A JSON array of v1 items as a v2 list; <c>null</c> decodes to an empty one.</summary>
    private static JsonArray DecodeList(JsonElement root, Func<JsonElement, JsonObject> decode) =>
        new(GoDecode.Structs(root).Select(e => (JsonNode?)decode(e)).ToArray());

    private static JsonObject MetricSpecToV2(JsonElement metric)
    {
        var stored = new JsonObject { ["type"] = GoDecode.String(metric, "type") };
        if (GoDecode.Struct(metric, "object") is { } source)
        {
            var averageValue = GoDecode.QuantityPointer(source, "averageValue");
            stored["object"] = new JsonObject
            {
                ["describedObject"] = DecodeReference(GoDecode.Struct(source, "target")),
                ["target"] = Target(averageValue is null ? "Value" : "AverageValue", GoDecode.Quantity(source, "targetValue"), averageValue, null),
                ["metric"] = Identifier(GoDecode.String(source, "metricName"), GoDecode.Selector(source, "selector")),
            };
        }

        if (GoDecode.Struct(metric, "pods") is { } pods)
        {
            stored["pods"] = new JsonObject
            {
                ["metric"] = Identifier(GoDecode.String(pods, "metricName"), GoDecode.Selector(pods, "selector")),
                ["target"] = Target("AverageValue", null, GoDecode.Quantity(pods, "targetAverageValue"), null),
            };
        }

        if (GoDecode.Struct(metric, "resource") is { } resource)
        {
            stored["resource"] = new JsonObject
            {
                ["name"] = GoDecode.String(resource, "name"),
                ["target"] = ResourceTarget(resource),
            };
        }

        if (GoDecode.Struct(metric, "containerResource") is { } container)
        {
            stored["containerResource"] = new JsonObject
            {
                ["name"] = GoDecode.String(container, "name"),
                ["target"] = ResourceTarget(container),
                ["container"] = GoDecode.String(container, "container"),
            };
        }

        if (GoDecode.Struct(metric, "external") is { } external)
        {
            var value = GoDecode.QuantityPointer(external, "targetValue");
            stored["external"] = new JsonObject
            {
                ["metric"] = Identifier(GoDecode.String(external, "metricName"), GoDecode.Selector(external, "metricSelector")),
                ["target"] = Target(value is null ? "AverageValue" : "Value", value, GoDecode.QuantityPointer(external, "targetAverageValue"), null),
            };
        }

        return stored;
    }

    /// <summary>A v1 resource target: a utilization if one is set, else an average value.</summary>
    private static JsonObject ResourceTarget(JsonElement source)
    {
        var utilization = GoDecode.Int32Pointer(source, "targetAverageUtilization");
        return Target(utilization is null ? "AverageValue" : "Utilization", null, GoDecode.QuantityPointer(source, "targetAverageValue"), utilization);
    }

    private static JsonObject MetricStatusToV2(JsonElement metric)
    {
        var stored = new JsonObject { ["type"] = GoDecode.String(metric, "type") };
        if (GoDecode.Struct(metric, "object") is { } source)
        {
            stored["object"] = new JsonObject
            {
                ["metric"] = Identifier(GoDecode.String(source, "metricName"), GoDecode.Selector(source, "selector")),
                ["current"] = Current(GoDecode.Quantity(source, "currentValue"), GoDecode.QuantityPointer(source, "averageValue"), null),
                ["describedObject"] = DecodeReference(GoDecode.Struct(source, "target")),
            };
        }

        if (GoDecode.Struct(metric, "pods") is { } pods)
        {
            stored["pods"] = new JsonObject
            {
                ["metric"] = Identifier(GoDecode.String(pods, "metricName"), GoDecode.Selector(pods, "selector")),
                ["current"] = Current(null, GoDecode.Quantity(pods, "currentAverageValue"), null),
            };
        }

        if (GoDecode.Struct(metric, "resource") is { } resource)
        {
            stored["resource"] = new JsonObject
            {
                ["name"] = GoDecode.String(resource, "name"),
                ["current"] = Current(null, GoDecode.Quantity(resource, "currentAverageValue"), GoDecode.Int32Pointer(resource, "currentAverageUtilization")),
            };
        }

        if (GoDecode.Struct(metric, "containerResource") is { } container)
        {
            stored["containerResource"] = new JsonObject
            {
                ["name"] = GoDecode.String(container, "name"),
                ["current"] = Current(null, GoDecode.Quantity(container, "currentAverageValue"), GoDecode.Int32Pointer(container, "currentAverageUtilization")),
                ["container"] = GoDecode.String(container, "container"),
            };
        }

        if (GoDecode.Struct(metric, "external") is { } external)
        {
            stored["external"] = new JsonObject
            {
                ["metric"] = Identifier(GoDecode.String(external, "metricName"), GoDecode.Selector(external, "metricSelector")),
                ["current"] = Current(GoDecode.Quantity(external, "currentValue"), GoDecode.QuantityPointer(external, "currentAverageValue"), null),
            };
        }

        return stored;
    }

    /// <summary>kube's internal behavior type, read by Go's rules; an empty object when it sets neither direction.</summary>
    private static JsonObject BehaviorToV2(JsonElement root)
    {
        var stored = new JsonObject();
        if (root.ValueKind == JsonValueKind.Null)
        {
            return stored;
        }

        GoDecode.RequireObject(root);
        if (GoDecode.Struct(root, "ScaleUp") is { } scaleUp)
        {
            stored["scaleUp"] = ScalingRulesToV2(scaleUp);
        }

        if (GoDecode.Struct(root, "ScaleDown") is { } scaleDown)
        {
            stored["scaleDown"] = ScalingRulesToV2(scaleDown);
        }

        return stored;
    }

    private static JsonObject ScalingRulesToV2(JsonElement rules)
    {
        var stored = new JsonObject();
        AddNode(stored, "stabilizationWindowSeconds", GoDecode.Int32Pointer(rules, "StabilizationWindowSeconds"));
        AddNode(stored, "selectPolicy", GoDecode.StringPointer(rules, "SelectPolicy"));
        var policies = GoDecode.Structs(GoDecode.Field(rules, "Policies")).Select(p => (JsonNode?)new JsonObject
        {
            ["type"] = GoDecode.String(p, "Type"),
            ["value"] = GoDecode.Int32(p, "Value"),
            ["periodSeconds"] = GoDecode.Int32(p, "PeriodSeconds"),
        }).ToArray();
        if (policies.Length > 0)
        {
            stored["policies"] = new JsonArray(policies);
        }

        AddNode(stored, "tolerance", GoDecode.QuantityPointer(rules, "Tolerance"));
        return stored;
    }

    private static JsonObject ConditionToV2(JsonElement condition)
    {
        var stored = new JsonObject { ["type"] = GoDecode.String(condition, "type"), ["status"] = GoDecode.String(condition, "status") };
        AddNode(stored, "lastTransitionTime", GoDecode.Time(condition, "lastTransitionTime"));
        AddText(stored, "reason", GoDecode.String(condition, "reason"));
        AddText(stored, "message", GoDecode.String(condition, "message"));
        AddNode(stored, "observedGeneration", GoDecode.Int64Pointer(condition, "observedGeneration"));
        return stored;
    }

    private static JsonObject DecodeReference(JsonElement? reference)
    {
        var stored = new JsonObject { ["kind"] = "", ["name"] = "" };
        if (reference is { } value)
        {
            stored["kind"] = GoDecode.String(value, "kind");
            stored["name"] = GoDecode.String(value, "name");
            AddText(stored, "apiVersion", GoDecode.String(value, "apiVersion"));
        }

        return stored;
    }

    private static JsonObject Identifier(string name, JsonObject? selector)
    {
        var identifier = new JsonObject { ["name"] = name };
        AddNode(identifier, "selector", selector);
        return identifier;
    }

    private static JsonObject Target(string type, string? value, string? averageValue, JsonNode? averageUtilization)
    {
        var target = new JsonObject { ["type"] = type };
        AddNode(target, "value", value);
        AddNode(target, "averageValue", averageValue);
        AddNode(target, "averageUtilization", averageUtilization);
        return target;
    }

    private static JsonObject Current(string? value, string? averageValue, JsonNode? averageUtilization)
    {
        var current = new JsonObject();
        AddNode(current, "value", value);
        AddNode(current, "averageValue", averageValue);
        AddNode(current, "averageUtilization", averageUtilization);
        return current;
    }

    // ---- shared ----

    /// <summary>
    /// A copy of the metadata without the round-trip annotations (kube drops any a client sent) and with
    /// <paramref name="added"/>; an annotation map left empty is left out, as Go leaves out an empty map.
    /// </summary>
    private static JsonObject? WithRoundTripAnnotations(JsonNode? metadata, List<KeyValuePair<string, string>> added)
    {
        var copy = metadata?.DeepClone() as JsonObject;
        var annotations = copy?["annotations"] as JsonObject;
        foreach (var name in RoundTripAnnotations)
        {
            annotations?.Remove(name);
        }

        if (added.Count > 0)
        {
            copy ??= [];
            annotations ??= [];
            foreach (var (name, value) in added)
            {
                annotations[name] = value;
            }

            copy["annotations"] = annotations;
        }

        if (copy?["annotations"] is JsonObject { Count: 0 })
        {
            copy.Remove("annotations");
        }

        return copy;
    }

    private static JsonObject Requirement(string key, string op, List<string>? values)
    {
        var requirement = new JsonObject { ["key"] = key, ["operator"] = op };
        if (values is { Count: > 0 })
        {
            requirement["values"] = new JsonArray(values.Select(v => (JsonNode?)v).ToArray());
        }

        return requirement;
    }

    private static List<JsonObject> Items(JsonNode? list) =>
        list is JsonArray array ? array.Select(item => item as JsonObject ?? []).ToList() : [];

    private static string? Text(JsonObject? obj, string name) =>
        obj?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static void CopyMember(JsonObject? from, JsonObject to, string name, string? asName = null)
    {
        if (from?[name] is { } value)
        {
            to[asName ?? name] = value.DeepClone();
        }
    }

    private static void AddText(JsonObject to, string name, string? text)
    {
        if (!string.IsNullOrEmpty(text))
        {
            to[name] = text;
        }
    }

    private static void AddNode(JsonObject to, string name, JsonNode? node)
    {
        if (node is not null)
        {
            to[name] = node;
        }
    }

    private static void AddQuantity(JsonObject to, string name, JsonNode? quantity)
    {
        if (QuantityOrNull(quantity) is { } text)
        {
            to[name] = text;
        }
    }

    /// <summary>A stored quantity as Go writes it, a string; <c>"0"</c> for an unset one that v1 holds by value.</summary>
    private static string QuantityOrZero(JsonNode? quantity) => QuantityOrNull(quantity) ?? "0";

    private static string? QuantityOrNull(JsonNode? quantity) => quantity switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => GoDecode.CanonicalQuantity(value.ToJsonString()),
        _ => null,
    };

    /// <summary>
    /// Reads annotation JSON as Go's <c>encoding/json</c> reads it into kube's types: keys match field names
    /// case-insensitively (the last match wins), unknown keys are ignored, <c>null</c> leaves a field unset, and a value of
    /// the wrong type fails the whole decode (<see cref="FormatException"/>).
    /// </summary>
    private static class GoDecode
    {
        private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

        public static void RequireObject(JsonElement value)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"cannot unmarshal {value.ValueKind} into a struct");
            }
        }

        public static JsonElement? Field(JsonElement obj, string name)
        {
            JsonElement? found = null;
            foreach (var property in obj.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    found = property.Value;
                }
            }

            return found is { ValueKind: JsonValueKind.Null } ? null : found;
        }

        /// <summary>A struct or a pointer to one; null when unset.</summary>
        public static JsonElement? Struct(JsonElement obj, string name)
        {
            if (Field(obj, name) is not { } value)
            {
                return null;
            }

            RequireObject(value);
            return value;
        }

        /// <summary>The items of a slice of structs; a null item is a zero struct, as Go decodes it.</summary>
        public static List<JsonElement> Structs(JsonElement? list)
        {
            if (list is not { } value || value.ValueKind == JsonValueKind.Null)
            {
                return [];
            }

            if (value.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"cannot unmarshal {value.ValueKind} into a slice");
            }

            var items = new List<JsonElement>();
            foreach (var item in value.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Null)
                {
                    items.Add(EmptyObject);
                    continue;
                }

                RequireObject(item);
                items.Add(item);
            }

            return items;
        }

        public static string String(JsonElement obj, string name) => StringPointer(obj, name) ?? "";

        public static string? StringPointer(JsonElement obj, string name) => Field(obj, name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.String } value => value.GetString(),
            { } value => throw new FormatException($"cannot unmarshal {value.ValueKind} into a string"),
        };

        public static int Int32(JsonElement obj, string name) => Int32Pointer(obj, name) is { } value ? value.GetValue<int>() : 0;

        public static JsonValue? Int32Pointer(JsonElement obj, string name) =>
            Integer(obj, name) is { } value
                ? value is >= int.MinValue and <= int.MaxValue ? JsonValue.Create((int)value) : throw new FormatException($"number {value} overflows int32")
                : null;

        public static JsonValue? Int64Pointer(JsonElement obj, string name) => Integer(obj, name) is { } value ? JsonValue.Create(value) : null;

        /// <summary>Go's integer decoding: an integer literal (no fraction, no exponent) within 64 bits.</summary>
        private static long? Integer(JsonElement obj, string name)
        {
            if (Field(obj, name) is not { } value)
            {
                return null;
            }

            var text = value.ValueKind == JsonValueKind.Number ? value.GetRawText() : null;
            return text is not null && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw new FormatException($"cannot unmarshal {text ?? value.ValueKind.ToString()} into an integer");
        }

        /// <summary>A <c>resource.Quantity</c> held by value: <c>"0"</c> when unset.</summary>
        public static string Quantity(JsonElement obj, string name) => QuantityPointer(obj, name) ?? "0";

        /// <summary>A <c>*resource.Quantity</c>, as its <c>UnmarshalJSON</c> reads a string or a bare number, in canonical form.</summary>
        public static string? QuantityPointer(JsonElement obj, string name) => Field(obj, name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.String } value => CanonicalQuantity(value.GetString()!),
            { ValueKind: JsonValueKind.Number } value => CanonicalQuantity(value.GetRawText()),
            { } value => throw new FormatException($"cannot unmarshal {value.ValueKind} into a quantity"),
        };

        public static string CanonicalQuantity(string text)
        {
            try
            {
                return GoValue.QuantityText(new ResourceQuantity(text.Trim()));
            }
            catch (Exception e) when (e is not FormatException)
            {
                throw new FormatException($"quantities must match the regular expression: {text}", e);
            }
        }

        /// <summary>A <c>metav1.Time</c>: an RFC 3339 string, written back as Go writes it (UTC, whole seconds).</summary>
        public static string? Time(JsonElement obj, string name)
        {
            if (Field(obj, name) is not { } value)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                throw new FormatException($"cannot unmarshal {value.ValueKind} into a time");
            }

            if (!GoRfc3339.TryParse(value.GetString()!, out var time, out var error))
            {
                throw new FormatException(error);
            }

            return time.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture);
        }

        /// <summary>A <c>*metav1.LabelSelector</c>, written back as Go writes it (labels in key order, empty members left out).</summary>
        public static JsonObject? Selector(JsonElement obj, string name)
        {
            if (Struct(obj, name) is not { } selector)
            {
                return null;
            }

            var result = new JsonObject();
            if (Field(selector, "matchLabels") is { } labels)
            {
                if (labels.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException($"cannot unmarshal {labels.ValueKind} into a map");
                }

                var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
                foreach (var label in labels.EnumerateObject())
                {
                    map[label.Name] = label.Value.ValueKind switch
                    {
                        JsonValueKind.String => label.Value.GetString()!,
                        JsonValueKind.Null => "",
                        var kind => throw new FormatException($"cannot unmarshal {kind} into a string"),
                    };
                }

                if (map.Count > 0)
                {
                    result["matchLabels"] = new JsonObject(map.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
                }
            }

            var expressions = Structs(Field(selector, "matchExpressions"))
                .Select(e => (JsonNode?)Requirement(String(e, "key"), String(e, "operator"), Strings(Field(e, "values"))))
                .ToArray();
            if (expressions.Length > 0)
            {
                result["matchExpressions"] = new JsonArray(expressions);
            }

            return result;
        }

        private static List<string>? Strings(JsonElement? list)
        {
            if (list is not { } value)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"cannot unmarshal {value.ValueKind} into a slice");
            }

            return value.EnumerateArray().Select(item => item.ValueKind switch
            {
                JsonValueKind.String => item.GetString()!,
                JsonValueKind.Null => "",
                var kind => throw new FormatException($"cannot unmarshal {kind} into a string"),
            }).ToList();
        }
    }

    /// <summary>Go's <c>json.Marshal</c> output: compact, with its escaping (HTML characters and line separators too).</summary>
    private static class GoJson
    {
        private const string Hex = "0123456789abcdef";

        public static string Write(JsonNode? node)
        {
            var builder = new StringBuilder();
            Write(node, builder);
            return builder.ToString();
        }

        private static void Write(JsonNode? node, StringBuilder builder)
        {
            switch (node)
            {
                case null:
                    builder.Append("null");
                    break;
                case JsonObject obj:
                    builder.Append('{');
                    var first = true;
                    foreach (var (name, value) in obj)
                    {
                        if (!first)
                        {
                            builder.Append(',');
                        }

                        first = false;
                        WriteString(name, builder);
                        builder.Append(':');
                        Write(value, builder);
                    }

                    builder.Append('}');
                    break;
                case JsonArray array:
                    builder.Append('[');
                    for (var i = 0; i < array.Count; i++)
                    {
                        if (i > 0)
                        {
                            builder.Append(',');
                        }

                        Write(array[i], builder);
                    }

                    builder.Append(']');
                    break;
                case JsonValue value when value.TryGetValue<string>(out var text):
                    WriteString(text, builder);
                    break;
                default:
                    builder.Append(node.ToJsonString());
                    break;
            }
        }

        private static void WriteString(string text, StringBuilder builder)
        {
            builder.Append('"');
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                switch (c)
                {
                    case '"': builder.Append("\\\""); break;
                    case '\\': builder.Append("\\\\"); break;
                    case '\b': builder.Append("\\b"); break;
                    case '\f': builder.Append("\\f"); break;
                    case '\n': builder.Append("\\n"); break;
                    case '\r': builder.Append("\\r"); break;
                    case '\t': builder.Append("\\t"); break;
                    case < ' ' or '<' or '>' or '&' or '\u2028' or '\u2029':
                        builder.Append("\\u").Append(Hex[(c >> 12) & 0xF]).Append(Hex[(c >> 8) & 0xF]).Append(Hex[(c >> 4) & 0xF]).Append(Hex[c & 0xF]);
                        break;
                    case >= '\uD800' and <= '\uDBFF' when i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]):
                        builder.Append(c).Append(text[++i]);
                        break;
                    case >= '\uD800' and <= '\uDFFF':
                        // Go replaces what is not valid UTF-8; a lone surrogate is the UTF-16 equivalent.
                        builder.Append("\\ufffd");
                        break;
                    default:
                        builder.Append(c);
                        break;
                }
            }

            builder.Append('"');
        }
    }
}
