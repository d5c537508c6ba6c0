using System.Text.Json.Nodes;
using Gantry.Server.Marathon;
using Xunit;

namespace Gantry.Tests.Marathon;

public sealed class GroupEmbedsTests
{
    private static readonly JsonObject App = new() { ["id"] = "/a", ["tasksRunning"] = 1, ["deployments"] = new JsonArray() };

    [Fact]
    public void No_embed_shows_the_groups_and_their_apps_without_counts()
    {
        var embeds = GroupEmbeds.Parse([]);

        Assert.Equal(new GroupEmbeds(Groups: true, Apps: true, Counts: false, Deployments: false, Tasks: false), embeds);
        Assert.Equal(["id"], embeds.Apply(App).Select(p => p.Key));
    }

    [Fact]
    public void Group_apps_counts_keeps_the_task_counts()
    {
        Assert.True(GroupEmbeds.Parse(["group.apps", "group.apps.counts"]).Apply(App).ContainsKey("tasksRunning"));
    }

    [Fact]
    public void Group_apps_tasks_brings_the_tasks_and_the_deployments()
    {
        var embeds = GroupEmbeds.Parse(["group.apps.tasks"]);

        Assert.Equal((true, true, false), (embeds.Tasks, embeds.Deployments, embeds.Apps));
    }

    [Fact]
    public void An_embed_given_leaves_out_what_it_does_not_name()
    {
        Assert.Equal((false, true), (GroupEmbeds.Parse(["group.apps"]).Groups, GroupEmbeds.Parse(["group.apps"]).Apps));
    }
}
