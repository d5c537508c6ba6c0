using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api.Tables;
using Xunit;

namespace Gantry.Tests.Registry.AdmissionRegistration;

public sealed class AdmissionRegistrationPrintersTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static ResourceType Type(string plural) => ResourceCatalog.Get("admissionregistration.k8s.io", plural);

    private static string[] Cells(ResourceType type, string json) =>
        [.. TableConverter.ForObject(type, JsonNode.Parse(json)!.AsObject(), Now, IncludeObjectPolicy.Metadata)["rows"]![0]!["cells"]!.AsArray()
            .Select(c => c!.ToJsonString())];

    private static JsonArray Columns(ResourceType type) =>
        TableConverter.ForList(type, [], Now, IncludeObjectPolicy.Metadata, "1", null)["columnDefinitions"]!.AsArray();

    [Theory]
    [InlineData("validatingwebhookconfigurations")]
    [InlineData("mutatingwebhookconfigurations")]
    public void A_webhook_configuration_table_has_kubes_name_webhooks_and_age_columns(string plural)
    {
        var columns = Columns(Type(plural));

        Assert.Equal(["Name", "Webhooks", "Age"], columns.Select(c => (string?)c!["name"]));
        Assert.Equal("integer", (string?)columns[1]!["type"]);
        Assert.Equal("Webhooks indicates the number of webhooks registered in this configuration", (string?)columns[1]!["description"]);
    }

    [Theory]
    [InlineData("validatingwebhookconfigurations")]
    [InlineData("mutatingwebhookconfigurations")]
    public void A_webhook_configuration_shows_how_many_webhooks_it_registers(string plural)
    {
        var cells = Cells(Type(plural), """
            {"metadata": {"name": "policy", "creationTimestamp": "2025-06-01T11:58:00Z"},
             "webhooks": [{"name": "a.example.com"}, {"name": "b.example.com"}]}
            """);

        Assert.Equal(["\"policy\"", "2", "\"2m\""], cells);
    }

    [Fact]
    public void A_configuration_without_webhooks_shows_zero()
    {
        Assert.Equal("0", Cells(Type("validatingwebhookconfigurations"), """{"metadata": {"name": "empty"}}""")[1]);
    }
}
