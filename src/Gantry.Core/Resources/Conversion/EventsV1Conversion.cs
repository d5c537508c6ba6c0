using System.Text.Json.Nodes;

namespace Gantry.Core.Resources.Conversion;

/// <summary>
/// events.k8s.io/v1 Events from and to the core/v1 Events they are stored as, as kube serves both from one storage
/// (<c>pkg/apis/events/v1/conversion.go</c>): the same fields under the newer names (<c>regarding</c> for
/// <c>involvedObject</c>, <c>note</c> for <c>message</c>, <c>reportingController</c> for <c>reportingComponent</c>) and
/// the older event's bookkeeping under <c>deprecated*</c>. A field neither version names is passed on as it is, so that
/// strict decoding still reports it.
/// </summary>
public sealed class EventsV1Conversion : ConversionFunctions
{
    public const string ApiVersion = "events.k8s.io/v1";

    /// <summary>The fields that differ, as (core/v1 name, events.k8s.io/v1 name).</summary>
    private static readonly (string Core, string Events)[] Renamed =
    [
        ("involvedObject", "regarding"),
        ("message", "note"),
        ("reportingComponent", "reportingController"),
        ("source", "deprecatedSource"),
        ("firstTimestamp", "deprecatedFirstTimestamp"),
        ("lastTimestamp", "deprecatedLastTimestamp"),
        ("count", "deprecatedCount"),
    ];

    /// <summary>kube's <c>AddFieldLabelConversionsForEvent</c> for events.k8s.io/v1: these labels and no others.</summary>
    private static readonly Dictionary<string, string> FieldLabels = new(StringComparer.Ordinal)
    {
        ["reason"] = "reason",
        ["regarding.kind"] = "involvedObject.kind",
        ["regarding.namespace"] = "involvedObject.namespace",
        ["regarding.name"] = "involvedObject.name",
        ["regarding.uid"] = "involvedObject.uid",
        ["regarding.apiVersion"] = "involvedObject.apiVersion",
        ["regarding.resourceVersion"] = "involvedObject.resourceVersion",
        ["regarding.fieldPath"] = "involvedObject.fieldPath",
        ["reportingController"] = "reportingComponent",
        ["type"] = "type",
        ["metadata.namespace"] = "metadata.namespace",
        ["metadata.name"] = "metadata.name",
    };

    public override string? StoredFieldLabel(string label) => FieldLabels.GetValueOrDefault(label);

    public override JsonObject FromStorage(JsonObject stored) =>
        Rename(stored, ApiVersion, Renamed.ToDictionary(r => r.Core, r => r.Events, StringComparer.Ordinal));

    public override JsonObject ToStorage(JsonObject served) =>
        Rename(served, "v1", Renamed.ToDictionary(r => r.Events, r => r.Core, StringComparer.Ordinal));

    private static JsonObject Rename(JsonObject source, string apiVersion, Dictionary<string, string> names)
    {
        ArgumentNullException.ThrowIfNull(source);
        var converted = new JsonObject();
        foreach (var (name, value) in source)
        {
            converted[names.GetValueOrDefault(name, name)] = value?.DeepClone();
        }

        converted["apiVersion"] = apiVersion;
        return converted;
    }
}
