using System.Text.Json.Nodes;
using k8s.Models;

namespace Gantry.Server.Marathon.Events;

/// <summary>
/// <c>deployment_success</c>: an app's change has rolled out once its Deployment, having been in progress as
/// <c>/v2/deployments</c> lists it, no longer is. Each change of an app is a Marathon deployment with its own id (a
/// group's change one for all its apps), so a change made while the last one was already rolled out counts as well. A
/// cancelled deployment did not succeed.
/// </summary>
public static class DeploymentResults
{
    public const string EventType = "deployment_success";

    /// <summary>Whether <paramref name="current"/> finished a deployment that <paramref name="old"/> had not.</summary>
    public static bool Succeeded(V1Deployment? old, V1Deployment? current)
    {
        if (old is null || current is null || AppView.InProgress(current) || AppView.Cancelled(current))
        {
            return false;
        }

        return AppView.InProgress(old) || DeploymentId(old) != DeploymentId(current);
    }

    /// <summary>
    /// The event of a deployment whose apps (one, or a group's) have all rolled out, with the plan's id, version and steps
    /// as <c>/v2/deployments</c> shows them.
    /// </summary>
    public static JsonObject Event(IReadOnlyList<V1Deployment> apps)
    {
        ArgumentNullException.ThrowIfNull(apps);
        var deployment = AppView.Deployments(apps).First();
        return new JsonObject
        {
            ["id"] = deployment["id"]!.DeepClone(),
            ["plan"] = new JsonObject
            {
                ["id"] = deployment["id"]!.DeepClone(),
                ["version"] = deployment["version"]!.DeepClone(),
                ["steps"] = deployment["steps"]!.DeepClone(),
            },
        };
    }

    private static string? DeploymentId(V1Deployment app) =>
        app.Metadata.Annotations?.TryGetValue(AppDeployments.DeploymentIdAnnotation, out var id) == true ? id : null;
}
