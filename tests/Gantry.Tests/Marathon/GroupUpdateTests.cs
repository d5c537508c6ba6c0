using System.Text.Json.Nodes;
using Gantry.Server.Marathon;
using Xunit;

namespace Gantry.Tests.Marathon;

/// <summary>What a group update does to the apps, as Marathon's group conversion applies it.</summary>
public sealed class GroupUpdateTests
{
    private static GroupChange Of(string groupId, string update, params string[] existing) =>
        GroupUpdate.Of(groupId, JsonNode.Parse(update)!.AsObject(), existing);

    [Fact]
    public void Relative_ids_are_taken_from_the_group_that_lists_them()
    {
        var change = Of("/shop", """{"apps":[{"id":"web"}],"groups":[{"id":"db","apps":[{"id":"/shop/db/pg"}]}]}""");

        Assert.Equal(["/shop/db/pg", "/shop/web"], change.Apps.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_groups_own_apps_not_given_are_removed_and_those_of_its_subgroups_kept()
    {
        var change = Of("/shop", """{"apps":[{"id":"web"}]}""", "/shop/web", "/shop/cart", "/shop/db/pg", "/other/x");

        Assert.Equal(["/shop/cart"], change.Removed);
    }

    [Fact]
    public void A_subgroup_not_given_goes_with_every_app_under_it()
    {
        var change = Of("/shop", """{"groups":[{"id":"db"}]}""", "/shop/web", "/shop/db/pg", "/shop/cache/redis", "/shop/cache/hot/memcached");

        Assert.Equal(["/shop/cache/hot/memcached", "/shop/cache/redis"], change.Removed);
    }

    [Fact]
    public void An_update_without_apps_or_groups_keeps_everything()
    {
        var change = Of("/shop", """{"id":"/shop"}""", "/shop/web", "/shop/db/pg");

        Assert.Equal((0, 0), (change.Apps.Count, change.Removed.Count));
    }

    [Fact]
    public void An_app_given_again_is_not_removed()
    {
        var change = Of("/shop", """{"apps":[{"id":"web","instances":3}]}""", "/shop/web");

        Assert.Empty(change.Removed);
        Assert.Equal(3, change.Apps["/shop/web"]["instances"]!.GetValue<int>());
    }

    [Fact]
    public void An_app_that_is_not_a_child_of_its_group_is_refused_in_marathons_words()
    {
        var refusal = Assert.Throws<MarathonException>(() => Of("/shop", """{"apps":[{"id":"/elsewhere/web"}]}"""));

        Assert.Equal(422, refusal.Status);
        Assert.Equal("/apps(0)/id", refusal.Body["details"]![0]!["path"]!.GetValue<string>());
        Assert.Equal("Identifier is not child of '/shop'", refusal.Body["details"]![0]!["errors"]![0]!.GetValue<string>());
    }

    [Fact]
    public void An_entry_without_an_id_is_refused_at_its_path()
    {
        var refusal = Assert.Throws<MarathonException>(() => Of("/", """{"groups":[{"id":"shop","apps":[{"cmd":"sleep 1"}]}]}"""));

        Assert.Equal("/groups(0)/apps(0)/id", refusal.Body["details"]![0]!["path"]!.GetValue<string>());
    }

    [Fact]
    public void Apps_that_are_not_a_list_are_refused()
    {
        var refusal = Assert.Throws<MarathonException>(() => Of("/shop", """{"apps":{"id":"web"}}"""));

        Assert.Equal("/apps", refusal.Body["details"]![0]!["path"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("web", "/shop", "/shop/web")]
    [InlineData("/a/b", "/shop", "/a/b")]
    [InlineData("web", "/", "/web")]
    [InlineData("./web", "/shop", "/shop/web")]
    [InlineData("../other/web", "/shop", "/other/web")]
    [InlineData("../../..", "/shop", "/")]
    public void An_id_is_resolved_against_its_group_unless_absolute(string id, string groupId, string expected)
    {
        Assert.Equal(expected, GroupUpdate.Resolve(id, groupId));
    }
}
