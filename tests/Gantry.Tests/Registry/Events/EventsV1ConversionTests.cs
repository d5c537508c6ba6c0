using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Core.Resources.Conversion;
using Xunit;

namespace Gantry.Tests.Registry.Events;

public sealed class EventsV1ConversionTests
{
    private readonly EventsV1Conversion _conversion = new();

    private const string Core = """
        {
          "apiVersion": "v1", "kind": "Event",
          "metadata": { "name": "web.1", "namespace": "default" },
          "involvedObject": { "kind": "Pod", "namespace": "default", "name": "web", "uid": "u1" },
          "reason": "Started", "message": "Started container web", "type": "Normal",
          "source": { "component": "kubelet", "host": "vm" },
          "firstTimestamp": "2025-06-01T12:00:00Z", "lastTimestamp": "2025-06-01T12:01:00Z", "count": 2,
          "eventTime": "2025-06-01T12:00:00.000000Z", "series": { "count": 2, "lastObservedTime": "2025-06-01T12:01:00.000000Z" },
          "reportingComponent": "kubelet", "reportingInstance": "vm", "action": "Start",
          "related": { "kind": "Node", "name": "vm" }
        }
        """;

    private const string Served = """
        {
          "apiVersion": "events.k8s.io/v1", "kind": "Event",
          "metadata": { "name": "web.1", "namespace": "default" },
          "regarding": { "kind": "Pod", "namespace": "default", "name": "web", "uid": "u1" },
          "reason": "Started", "note": "Started container web", "type": "Normal",
          "deprecatedSource": { "component": "kubelet", "host": "vm" },
          "deprecatedFirstTimestamp": "2025-06-01T12:00:00Z", "deprecatedLastTimestamp": "2025-06-01T12:01:00Z", "deprecatedCount": 2,
          "eventTime": "2025-06-01T12:00:00.000000Z", "series": { "count": 2, "lastObservedTime": "2025-06-01T12:01:00.000000Z" },
          "reportingController": "kubelet", "reportingInstance": "vm", "action": "Start",
          "related": { "kind": "Node", "name": "vm" }
        }
        """;

    [Fact]
    public void A_stored_core_event_reads_with_the_events_v1_names()
    {
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Served), _conversion.FromStorage(JsonNode.Parse(Core)!.AsObject())));
    }

    [Fact]
    public void An_events_v1_event_is_stored_with_the_core_names()
    {
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Core), _conversion.ToStorage(JsonNode.Parse(Served)!.AsObject())));
    }

    [Fact]
    public void A_field_neither_version_names_is_passed_on_for_strict_decoding_to_report()
    {
        var stored = _conversion.ToStorage(JsonNode.Parse("""{"apiVersion": "events.k8s.io/v1", "kind": "Event", "bogus": 1}""")!.AsObject());

        Assert.Equal(1, stored["bogus"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("regarding.name", "involvedObject.name")]
    [InlineData("reportingController", "reportingComponent")]
    [InlineData("type", "type")]
    [InlineData("involvedObject.name", null)]
    [InlineData("source", null)]
    public void Field_selectors_name_the_served_fields_as_kubes_label_conversion_does(string label, string? stored)
    {
        Assert.Equal(stored, _conversion.StoredFieldLabel(label));
    }

    [Fact]
    public void Events_v1_is_served_from_the_core_events_storage()
    {
        var served = Assert.Single(ResourceCatalog.ConvertedTypes, t => t.Group == "events.k8s.io");

        Assert.Same(ResourceCatalog.Get("", "events"), ResourceCatalog.StorageOf(served));
        Assert.Same(served, ResourceCatalog.Find("events.k8s.io", "v1", "events"));
    }
}
