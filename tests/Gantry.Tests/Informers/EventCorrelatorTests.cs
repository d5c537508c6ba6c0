using Gantry.Server.Informers;
using k8s.Models;
using Xunit;
using FakeTimeProvider = Gantry.Tests.Registry.FakeTimeProvider;

namespace Gantry.Tests.Informers;

public sealed class EventCorrelatorTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly EventCorrelator _correlator;

    public EventCorrelatorTests() => _correlator = new EventCorrelator(_time);

    [Fact]
    public void A_first_event_is_written_once_with_a_name_from_its_object()
    {
        var written = _correlator.Correlate(Event("rc-a", "SuccessfulCreate", "Created pod: a-1"));

        Assert.NotNull(written);
        Assert.Equal(1, written.Count);
        Assert.StartsWith("rc-a.", written.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal("Created pod: a-1", written.Message);
    }

    [Fact]
    public void A_repeat_keeps_the_first_name_and_time_and_raises_the_count()
    {
        var first = _correlator.Correlate(Event("pod-a", "BackOff", "Back-off restarting failed container"))!;
        _time.Advance(TimeSpan.FromSeconds(30));

        var second = _correlator.Correlate(Event("pod-a", "BackOff", "Back-off restarting failed container"))!;

        Assert.Equal(first.Metadata.Name, second.Metadata.Name);
        Assert.Equal(2, second.Count);
        Assert.Equal(first.FirstTimestamp, second.FirstTimestamp);
        Assert.Equal(_time.Now.UtcDateTime, second.LastTimestamp);
    }

    [Fact]
    public void The_tenth_event_differing_only_by_message_is_combined_into_one_event()
    {
        for (var i = 1; i <= 9; i++)
        {
            Assert.Equal($"Created pod: a-{i}", _correlator.Correlate(Event("rc-a", "SuccessfulCreate", $"Created pod: a-{i}"))!.Message);
        }

        var tenth = _correlator.Correlate(Event("rc-a", "SuccessfulCreate", "Created pod: a-10"))!;
        var eleventh = _correlator.Correlate(Event("rc-a", "SuccessfulCreate", "Created pod: a-11"))!;

        Assert.Equal("(combined from similar events): Created pod: a-10", tenth.Message);
        Assert.Equal("(combined from similar events): Created pod: a-11", eleventh.Message);
        Assert.Equal(tenth.Metadata.Name, eleventh.Metadata.Name);
        Assert.Equal(2, eleventh.Count);
    }

    [Fact]
    public void Similar_events_ten_minutes_apart_are_not_combined()
    {
        for (var i = 1; i <= 9; i++)
        {
            _correlator.Correlate(Event("rc-a", "SuccessfulCreate", $"Created pod: a-{i}"));
        }

        _time.Advance(TimeSpan.FromMinutes(11));

        Assert.Equal("Created pod: a-10", _correlator.Correlate(Event("rc-a", "SuccessfulCreate", "Created pod: a-10"))!.Message);
    }

    [Fact]
    public void A_source_writes_25_events_about_an_object_and_then_none_until_its_allowance_refills()
    {
        var written = Enumerable.Range(1, 40).Count(i => _correlator.Correlate(Event("rc-a", "SuccessfulCreate", $"Created pod: a-{i}")) is not null);
        _time.Advance(TimeSpan.FromMinutes(5));
        var afterFiveMinutes = _correlator.Correlate(Event("rc-a", "SuccessfulCreate", "Created pod: a-41"));
        var straightAfter = _correlator.Correlate(Event("rc-a", "SuccessfulCreate", "Created pod: a-42"));

        Assert.Equal(25, written);
        Assert.NotNull(afterFiveMinutes);
        Assert.Null(straightAfter);
    }

    [Fact]
    public void Occurrences_over_the_allowance_still_count_in_the_next_write()
    {
        for (var i = 1; i <= 40; i++)
        {
            _correlator.Correlate(Event("rc-a", "SuccessfulCreate", $"Created pod: a-{i}"));
        }

        _time.Advance(TimeSpan.FromMinutes(5));
        var next = _correlator.Correlate(Event("rc-a", "SuccessfulCreate", "Created pod: a-41"))!;

        // Nine events of their own, then 32 occurrences folded into the combined event.
        Assert.Equal(32, next.Count);
    }

    [Fact]
    public void Each_object_has_its_own_allowance()
    {
        for (var i = 1; i <= 30; i++)
        {
            _correlator.Correlate(Event("rc-a", "SuccessfulCreate", $"Created pod: a-{i}"));
        }

        Assert.NotNull(_correlator.Correlate(Event("rc-b", "SuccessfulCreate", "Created pod: b-1")));
    }

    private Corev1Event Event(string objectName, string reason, string message) => new()
    {
        Metadata = new V1ObjectMeta { NamespaceProperty = "default" },
        InvolvedObject = new V1ObjectReference { ApiVersion = "v1", Kind = "ReplicationController", Name = objectName, NamespaceProperty = "default", Uid = objectName + "-uid" },
        Type = "Normal",
        Reason = reason,
        Message = message,
        Source = new V1EventSource { Component = "test" },
        ReportingComponent = "test",
        FirstTimestamp = _time.Now.UtcDateTime,
        LastTimestamp = _time.Now.UtcDateTime,
        Count = 1,
    };
}
