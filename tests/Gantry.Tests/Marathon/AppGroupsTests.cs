using System.Text.Json.Nodes;
using Gantry.Server.Marathon;
using Xunit;

namespace Gantry.Tests.Marathon;

public sealed class AppGroupsTests
{
    private static readonly JsonObject[] Apps =
    [
        App("/shop/web", "2026-01-01T00:00:02.000Z"),
        App("/shop/db/main", "2026-01-01T00:00:03.000Z"),
        App("/solo", "2026-01-01T00:00:01.000Z"),
    ];

    private static JsonObject App(string id, string version) => new() { ["id"] = id, ["version"] = version };

    private static JsonObject Group(string id, bool embedGroups = true, bool embedApps = true) => AppGroups.Group(id, Apps, embedGroups, embedApps)!;

    private static List<string> Ids(JsonNode? items) => [.. items!.AsArray().Select(i => i!["id"]!.GetValue<string>())];

    [Fact]
    public void The_root_holds_the_apps_without_a_group_and_the_top_level_groups()
    {
        var root = Group("/");

        Assert.Equal(["/solo"], Ids(root["apps"]));
        Assert.Equal(["/shop"], Ids(root["groups"]));
    }

    [Fact]
    public void A_group_holds_its_own_apps_and_its_subgroups_with_theirs()
    {
        var shop = Group("/shop");

        Assert.Equal(["/shop/web"], Ids(shop["apps"]));
        Assert.Equal(["/shop/db"], Ids(shop["groups"]));
        Assert.Equal(["/shop/db/main"], Ids(shop["groups"]![0]!["apps"]));
    }

    [Fact]
    public void A_groups_version_is_the_newest_of_its_apps()
    {
        Assert.Equal("2026-01-01T00:00:03.000Z", Group("/shop")["version"]!.GetValue<string>());
    }

    [Fact]
    public void A_group_has_marathons_fields_with_no_pods_no_dependencies_and_no_enforced_role()
    {
        var shop = Group("/shop");

        Assert.Equal(["id", "apps", "groups", "pods", "dependencies", "version", "enforceRole"], shop.Select(p => p.Key));
        Assert.Equal((0, 0, false), (shop["pods"]!.AsArray().Count, shop["dependencies"]!.AsArray().Count, shop["enforceRole"]!.GetValue<bool>()));
    }

    [Fact]
    public void Groups_not_embedded_are_an_empty_list()
    {
        Assert.Empty(Group("/", embedGroups: false)["groups"]!.AsArray());
    }

    [Fact]
    public void Apps_not_embedded_are_an_empty_list()
    {
        Assert.Empty(Group("/shop", embedApps: false)["apps"]!.AsArray());
    }

    [Fact]
    public void A_group_with_no_app_under_it_does_not_exist()
    {
        Assert.Null(AppGroups.Group("/nope", Apps, embedGroups: true, embedApps: true));
    }

    [Fact]
    public void An_app_is_not_a_group()
    {
        Assert.Null(AppGroups.Group("/solo", Apps, embedGroups: true, embedApps: true));
    }

    [Fact]
    public void The_root_exists_with_no_apps_and_without_a_version()
    {
        var root = AppGroups.Group("/", [], embedGroups: true, embedApps: true)!;

        Assert.Equal(("/", false), (root["id"]!.GetValue<string>(), root.ContainsKey("version")));
    }

    [Fact]
    public void A_group_whose_name_begins_another_groups_does_not_hold_its_apps()
    {
        Assert.False(AppGroups.Contains("/shop", "/shopping/web"));
    }

    [Fact]
    public void An_unknown_group_is_a_404_in_marathons_words()
    {
        var refusal = AppGroups.Unknown("/x");

        Assert.Equal((404, "Group '/x' does not exist"), (refusal.Status, refusal.Message));
    }
}
