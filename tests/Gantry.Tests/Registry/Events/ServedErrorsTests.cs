using Gantry.Core.Resources;
using Gantry.Core.Validation;
using Gantry.Server.Api;
using Xunit;

namespace Gantry.Tests.Registry.Events;

public sealed class ServedErrorsTests
{
    private static readonly ResourceType Stored = ResourceCatalog.Get("", "events");
    private static readonly ResourceType Served = ResourceCatalog.Find("events.k8s.io", "v1", "events")!;

    [Fact]
    public void A_missing_event_is_named_by_the_served_group()
    {
        var refusal = ApiException.NotFound(Stored, "x").AsServed(Stored, Served);

        Assert.Equal("events.events.k8s.io \"x\" not found", refusal.Message);
        Assert.Equal("events.k8s.io", refusal.Details!["group"]!.GetValue<string>());
    }

    [Fact]
    public void An_invalid_event_is_named_by_the_served_kind_and_group()
    {
        var refusal = ApiException.Invalid(Stored, "x", [FieldErrors.Required(FieldPath.Of("eventTime"))]).AsServed(Stored, Served);

        Assert.Equal("Event.events.k8s.io \"x\" is invalid: eventTime: Required value", refusal.Message);
    }

    [Fact]
    public void A_version_of_the_same_group_keeps_the_message()
    {
        var hpa = ResourceCatalog.Get("autoscaling", "horizontalpodautoscalers");
        var refusal = ApiException.NotFound(hpa, "x");

        Assert.Same(refusal, refusal.AsServed(hpa, ResourceCatalog.Find("autoscaling", "v1", "horizontalpodautoscalers")!));
    }
}
