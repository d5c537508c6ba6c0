using System.Text.Json.Nodes;
using Gantry.Server.Api.Tables;
using Gantry.Server.Registry.CustomResources;
using Xunit;

namespace Gantry.Tests.Api.CustomResources;

public sealed class CustomResourcePrinterTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-29T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static JsonObject CronTab(string spec) => new()
    {
        ["apiVersion"] = "stable.example.com/v1",
        ["kind"] = "CronTab",
        ["metadata"] = new JsonObject { ["name"] = "tab", ["namespace"] = "default", ["creationTimestamp"] = "2026-11-29T09:55:00Z" },
        ["spec"] = JsonNode.Parse(spec),
    };

    private static JsonObject Table(k8s.Models.V1CustomResourceDefinition definition, JsonObject obj) =>
        TableConverter.ForObject(CustomResourceTypes.TypesOf(definition).Single().Stored, obj, Now, Gantry.Server.Api.Tables.IncludeObjectPolicy.None);

    [Fact]
    public void The_columns_are_the_name_and_the_additional_printer_columns_with_their_values()
    {
        var table = Table(CustomResourceDefinitions.CronTabs(), CronTab("""{"cronSpec": "* * * * */5", "replicas": 2}"""));

        Assert.Equal(["Name", "Spec", "Replicas"], table["columnDefinitions"]!.AsArray().Select(c => (string?)c!["name"]));
        Assert.Equal("""["tab","* * * * */5",2]""", table["rows"]![0]!["cells"]!.ToJsonString());
    }

    [Fact]
    public void A_path_that_leads_nowhere_or_to_another_type_gives_an_empty_cell()
    {
        var table = Table(CustomResourceDefinitions.CronTabs(), CronTab("""{"replicas": "two"}"""));

        Assert.Equal("""["tab",null,null]""", table["rows"]![0]!["cells"]!.ToJsonString());
    }

    [Fact]
    public void A_version_without_printer_columns_prints_the_age()
    {
        var definition = CustomResourceDefinitions.CronTabs();
        definition.Spec.Versions[0].AdditionalPrinterColumns = null;

        var table = Table(definition, CronTab("{}"));

        Assert.Equal(["Name", "Age"], table["columnDefinitions"]!.AsArray().Select(c => (string?)c!["name"]));
        Assert.Equal("""["tab","5m"]""", table["rows"]![0]!["cells"]!.ToJsonString());
    }

    [Theory]
    [InlineData(".metadata.labels['app.kubernetes.io/name']", "web")]
    [InlineData(".status.conditions[1].type", "Ready")]
    [InlineData(".status.conditions[2].type", null)]
    [InlineData("status", null)]
    [InlineData(".status.conditions[?(@.type==\"Ready\")].status", "True")]
    [InlineData(".status.conditions[?(@.type!='Synced')].type", "Ready")]
    [InlineData(".status.conditions[*].type", "Synced")]
    [InlineData(".status.conditions[?(@.reason!='x')].type", null)]
    [InlineData("{.status.conditions[1].status}", "True")]
    public void Printer_column_paths_read_members_quoted_keys_indexes_and_filters(string path, string? expected)
    {
        var obj = JsonNode.Parse("""
            {"metadata": {"labels": {"app.kubernetes.io/name": "web"}},
             "status": {"conditions": [{"type": "Synced", "status": "False"}, {"type": "Ready", "status": "True"}]}}
            """)!;

        Assert.Equal(expected, (string?)SimpleJsonPath.Parse(path)?.Find(obj));
    }
}
