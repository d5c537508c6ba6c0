using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api.Tables;
using Xunit;

namespace Gantry.Tests.Registry.Networking;

public sealed class NetworkPolicyPrinterTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ResourceType NetworkPolicies = ResourceCatalog.Get("networking.k8s.io", "networkpolicies");

    private static string[] Cells(string json) =>
        [.. TableConverter.ForObject(NetworkPolicies, JsonNode.Parse(json)!.AsObject(), Now, IncludeObjectPolicy.Metadata)["rows"]![0]!["cells"]!.AsArray()
            .Select(c => c!.ToString())];

    [Fact]
    public void A_policy_shows_its_pod_selector_and_age()
    {
        var cells = Cells("""
            {"metadata": {"name": "db", "creationTimestamp": "2025-06-01T11:58:00Z"},
             "spec": {"podSelector": {"matchLabels": {"app": "db"}, "matchExpressions": [{"key": "tier", "operator": "In", "values": ["b", "a"]}]}}}
            """);

        Assert.Equal(["db", "app=db,tier in (a,b)", "2m"], cells);
    }

    [Fact]
    public void A_policy_for_every_pod_shows_none()
    {
        Assert.Equal("<none>", Cells("""{"metadata": {"name": "deny-all"}, "spec": {"podSelector": {}}}""")[1]);
    }

    [Fact]
    public void The_columns_are_kubes()
    {
        var columns = TableConverter.ForObject(NetworkPolicies, JsonNode.Parse("""{"metadata": {"name": "x"}}""")!.AsObject(), Now, IncludeObjectPolicy.Metadata)["columnDefinitions"]!
            .AsArray().Select(c => (string?)c!["name"]);

        Assert.Equal(["Name", "Pod-Selector", "Age"], columns);
    }
}
