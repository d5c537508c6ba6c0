using System.Text.Json.Nodes;
using Gantry.Server.Api.ComponentStatuses;
using Gantry.Server.Api.Tables;
using Xunit;

namespace Gantry.Tests.Api;

public sealed class ComponentStatusPrinterTests
{
    private static string[] Cells(string json) =>
        [.. TableConverter.ForObject(ComponentStatusTypes.ComponentStatuses, JsonNode.Parse(json)!.AsObject(), DateTimeOffset.UnixEpoch, IncludeObjectPolicy.Metadata)
            ["rows"]![0]!["cells"]!.AsArray().Select(c => c!.ToString())];

    [Fact]
    public void A_healthy_component_shows_its_message()
    {
        Assert.Equal(
            ["scheduler", "Healthy", "ok", ""],
            Cells("""{"metadata": {"name": "scheduler"}, "conditions": [{"type": "Healthy", "status": "True", "message": "ok"}]}"""));
    }

    [Fact]
    public void An_unhealthy_component_shows_its_error()
    {
        Assert.Equal(
            ["store-0", "Unhealthy", "", "the store stopped"],
            Cells("""{"metadata": {"name": "store-0"}, "conditions": [{"type": "Healthy", "status": "False", "error": "the store stopped"}]}"""));
    }

    [Fact]
    public void A_component_without_a_healthy_condition_is_unknown() =>
        Assert.Equal(["x", "Unknown", "", ""], Cells("""{"metadata": {"name": "x"}}"""));
}
