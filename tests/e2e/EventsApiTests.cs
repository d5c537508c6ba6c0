using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// events.k8s.io/v1 through the real kubectl: an event written in the newer API reads back in core/v1 under the older
/// names, and <c>kubectl events</c>, which decodes typed Events, lists it.
/// </summary>
[Collection(GantryCollection.Name)]
public sealed class EventsApiTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    [Fact]
    public async Task An_events_v1_event_reads_back_as_a_core_event_and_kubectl_events_lists_it()
    {
        var ns = await CreateNamespaceAsync("events-v1");
        await CreateObjectAsync(ns, new
        {
            apiVersion = "events.k8s.io/v1",
            kind = "Event",
            metadata = new { name = "synced" },
            eventTime = "2025-06-01T12:00:00.000000Z",
            reportingController = "example.com/controller",
            reportingInstance = "controller-1",
            action = "Sync",
            reason = "Synced",
            type = "Normal",
            note = "synced the widget",
            regarding = new { kind = "ConfigMap", @namespace = ns, name = "widget", apiVersion = "v1" },
        });

        Check.Equal(
            "widget|synced the widget|example.com/controller|2025-06-01T12:00:00.000000Z",
            await JsonPath(ns, "events/synced", "{.involvedObject.name}|{.message}|{.reportingComponent}|{.eventTime}"),
            "the core event");
        Check.StdoutContains(await Ok("events", "-n", ns), "synced the widget");
        Check.StdoutContains(await Ok("get", "events.events.k8s.io", "-n", ns, "--field-selector=regarding.name=widget", "--sort-by=.note"), "synced the widget");
        Check.StderrContains(await Fails("get", "events.events.k8s.io", "nothere", "-n", ns), "events.events.k8s.io \"nothere\" not found");
    }

    [Fact]
    public async Task An_events_v1_event_without_an_event_time_is_refused()
    {
        var ns = await CreateNamespaceAsync("events-v1-invalid");
        var manifest = TempFile("event.json");
        await File.WriteAllTextAsync(manifest, $$"""
            {"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": {"name": "bad"},
             "regarding": {"kind": "ConfigMap", "namespace": "{{ns}}", "name": "widget"},
             "reportingController": "example.com/c", "reportingInstance": "c-1", "action": "Sync", "reason": "Synced", "type": "Normal"}
            """);

        var refused = await Fails("create", "-n", ns, "-f", manifest);

        Check.StderrContains(refused, "eventTime: Required value");
    }
}
