using Gantry.Core.Resources;
using Gantry.Core.Resources.Conversion;
using Gantry.Server.Api;
using Gantry.Server.Registry;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Registry.Events;

public sealed class EventsV1ValidationTests
{
    private static readonly ResourceType Events = ResourceCatalog.Get("", "events");
    private static readonly WriteOptions ThroughEventsV1 = new() { ServedApiVersion = EventsV1Conversion.ApiVersion };
    private static readonly DateTime Now = new(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc);

    private readonly EventsV1Validation _validation = new();

    private static Corev1Event Event() => new()
    {
        Metadata = new V1ObjectMeta { Name = "web.1", NamespaceProperty = "default" },
        InvolvedObject = new V1ObjectReference { Kind = "Pod", NamespaceProperty = "default", Name = "web" },
        EventTime = Now,
        ReportingComponent = "example.com/controller",
        ReportingInstance = "controller-1",
        Action = "Sync",
        Reason = "Synced",
        Type = "Normal",
        Message = "synced",
    };

    /// <summary>The refusal's message (kube's <c>The Event "x" is invalid: …</c>), empty when the write is let through.</summary>
    private string Refusal(Corev1Event written, Corev1Event? stored = null, WriteOptions? options = null)
    {
        var refused = Record.Exception(() => _validation.Admit(Events, "default", written, stored, options ?? ThroughEventsV1));
        return refused is null ? "" : Assert.IsType<ApiException>(refused).Message;
    }

    [Fact]
    public void A_complete_new_event_is_valid()
    {
        Assert.Empty(Refusal(Event()));
    }

    [Fact]
    public void A_new_event_needs_an_event_time_and_a_known_type()
    {
        var written = Event();
        written.EventTime = null;
        written.Type = "Info";

        var message = Refusal(written);

        Assert.Contains("eventTime: Required value", message, StringComparison.Ordinal);
        Assert.Contains("type: Invalid value: \"\": has invalid value: Info", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_event_carries_none_of_the_old_events_bookkeeping()
    {
        var written = Event();
        written.Count = 3;
        written.FirstTimestamp = Now;
        written.Source = new V1EventSource { Component = "kubelet" };

        var message = Refusal(written);

        Assert.Contains("firstTimestamp: Invalid value: \"\": needs to be unset", message, StringComparison.Ordinal);
        Assert.Contains("count: Invalid value: \"\": needs to be unset", message, StringComparison.Ordinal);
        Assert.Contains("source: Invalid value: \"\": needs to be unset", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_series_counts_at_least_two_and_says_when_it_was_last_seen()
    {
        var written = Event();
        written.Series = new Corev1EventSeries { Count = 1 };

        var message = Refusal(written);

        Assert.Contains("series.count: Invalid value: \"\": should be at least 2", message, StringComparison.Ordinal);
        Assert.Contains("series.lastObservedTime: Required value", message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_update_may_change_the_series_and_nothing_the_event_says()
    {
        var stored = Event();
        var counted = Event();
        counted.Series = new Corev1EventSeries { Count = 2, LastObservedTime = Now.AddMinutes(1) };
        var reworded = Event();
        reworded.Message = "changed";

        Assert.Empty(Refusal(counted, stored));
        Assert.Contains("message: Invalid value: \"changed\": field is immutable", Refusal(reworded, stored), StringComparison.Ordinal);
    }

    [Fact]
    public void A_core_v1_write_is_left_to_the_legacy_rules()
    {
        var written = Event();
        written.EventTime = null;
        written.Count = 3;

        Assert.Empty(Refusal(written, options: new WriteOptions()));
    }
}
