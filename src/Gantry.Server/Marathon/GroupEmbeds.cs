using System.Text.Json.Nodes;

namespace Gantry.Server.Marathon;

/// <summary>
/// The <c>embed</c> parameters of <c>/v2/groups</c> as Marathon's InfoEmbedResolver reads them: none asked means
/// <c>group.groups</c>, <c>group.apps</c> and <c>group.pods</c>; <c>group.apps.counts</c>, <c>.deployments</c> and
/// <c>.tasks</c> (which brings the deployments too) add those to each app, which otherwise shows its definition only.
/// </summary>
public sealed record GroupEmbeds(bool Groups, bool Apps, bool Counts, bool Deployments, bool Tasks)
{
    private static readonly string[] TaskCounts = ["tasksStaged", "tasksRunning", "tasksHealthy", "tasksUnhealthy"];

    public static GroupEmbeds Parse(IReadOnlyCollection<string?> embeds)
    {
        ArgumentNullException.ThrowIfNull(embeds);
        if (embeds.Count == 0)
        {
            return new GroupEmbeds(Groups: true, Apps: true, Counts: false, Deployments: false, Tasks: false);
        }

        var tasks = embeds.Contains("group.apps.tasks");
        return new GroupEmbeds(
            embeds.Contains("group.groups"),
            embeds.Contains("group.apps"),
            embeds.Contains("group.apps.counts"),
            tasks || embeds.Contains("group.apps.deployments"),
            tasks);
    }

    /// <summary>The app as the embeds show it, from the app with its counts and deployments (and its tasks, when asked).</summary>
    public JsonObject Apply(JsonObject app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var shown = app.DeepClone().AsObject();
        if (!Counts)
        {
            foreach (var count in TaskCounts)
            {
                shown.Remove(count);
            }
        }

        if (!Deployments)
        {
            shown.Remove("deployments");
        }

        return shown;
    }
}
