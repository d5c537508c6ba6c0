using System.Globalization;
using System.Text.Json.Nodes;

namespace Gantry.Server.Api.Tables;

/// <summary>
/// kube's <c>printHorizontalPodAutoscaler</c>: the scale target as <c>Kind/name</c>, each metric as <c>current/target</c>
/// (the current value read from the status metric at the same position, as kube reads it; two at most, then
/// <c>+ N more...</c>), the replica bounds and the current replicas.
/// </summary>
internal static class HorizontalPodAutoscalerPrinter
{
    private const int ShownMetrics = 2;
    private const string Unknown = "<unknown>";

    public static TablePrinter Printer { get; } = new(
        [
            TableColumn.ObjectName,
            TableColumn.Text("Reference", "scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count."),
            TableColumn.Text("Targets", "metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used)."),
            TableColumn.Text("MinPods", "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down."),
            new TableColumn("MaxPods", "integer", "", "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up."),
            new TableColumn("Replicas", "integer", "", "currentReplicas is current number of replicas of pods managed by this autoscaler."),
            TableColumn.Age,
        ],
        (hpa, now) =>
        [
            CellFormat.Name(hpa),
            $"{JsonRead.String(hpa, "spec", "scaleTargetRef", "kind")}/{JsonRead.String(hpa, "spec", "scaleTargetRef", "name")}",
            Targets(hpa),
            JsonRead.OptionalLong(hpa, "spec", "minReplicas") is { } min ? min.ToString(CultureInfo.InvariantCulture) : "<unset>",
            JsonRead.Long(hpa, "spec", "maxReplicas"),
            JsonRead.Long(hpa, "status", "currentReplicas"),
            CellFormat.Age(hpa, now),
        ]);

    private static string Targets(JsonObject hpa)
    {
        var specs = JsonRead.Objects(hpa, "spec", "metrics").ToList();
        if (specs.Count == 0)
        {
            return "<none>";
        }

        var statuses = JsonRead.Objects(hpa, "status", "currentMetrics").ToList();
        var shown = specs.Take(ShownMetrics).Select((spec, i) => Metric(spec, i < statuses.Count ? statuses[i] : null));
        var text = string.Join(", ", shown);
        return specs.Count > ShownMetrics ? $"{text} + {specs.Count - ShownMetrics} more..." : text;
    }

    private static string Metric(JsonObject spec, JsonObject? status) => JsonRead.String(spec, "type") switch
    {
        "External" => Value(spec, status, "external"),
        "Pods" => $"{Current(status, "pods", "averageValue")}/{CellFormat.Quantity(JsonRead.At(spec, "pods", "target", "averageValue"))}",
        "Object" => Value(spec, status, "object"),
        "Resource" => Resource(spec, status, "resource"),
        "ContainerResource" => Resource(spec, status, "containerResource"),
        _ => "<unknown type>",
    };

    /// <summary>An Object or External metric: an average value marked <c>(avg)</c>, or a value.</summary>
    private static string Value(JsonObject spec, JsonObject? status, string source) =>
        JsonRead.At(spec, source, "target", "averageValue") is { } average
            ? $"{Current(status, source, "averageValue")}/{CellFormat.Quantity(average)} (avg)"
            : $"{Current(status, source, "value")}/{CellFormat.Quantity(JsonRead.At(spec, source, "target", "value"))}";

    private static string Resource(JsonObject spec, JsonObject? status, string source)
    {
        var name = JsonRead.String(spec, source, "name");
        if (JsonRead.At(spec, source, "target", "averageValue") is { } average)
        {
            return $"{name}: {Current(status, source, "averageValue")}/{CellFormat.Quantity(average)}";
        }

        var current = JsonRead.OptionalLong(status, source, "current", "averageUtilization") is { } utilization ? $"{utilization}%" : Unknown;
        var target = JsonRead.OptionalLong(spec, source, "target", "averageUtilization") is { } wanted ? $"{wanted}%" : "<auto>";
        return $"{name}: {current}/{target}";
    }

    private static string Current(JsonObject? status, string source, string field) =>
        JsonRead.At(status, source, "current", field) is { } value ? CellFormat.Quantity(value) : Unknown;
}
