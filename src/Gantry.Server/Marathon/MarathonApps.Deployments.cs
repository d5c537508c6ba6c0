using k8s.Models;

namespace Gantry.Server.Marathon;

/// <summary>A deployment under way, rolled back or cancelled (<c>DELETE /v2/deployments/{id}</c>).</summary>
public sealed partial class MarathonApps
{
    /// <summary>
    /// The apps whose deployment under way is <paramref name="deploymentId"/> (a group's deployment has several), as the
    /// registry holds them now; 404 in Marathon's words when none is.
    /// </summary>
    private List<V1Deployment> UnderWay(string deploymentId)
    {
        var apps = StoredApps().Where(a => AppView.InProgress(a) && a.Metadata.Annotations[AppDeployments.DeploymentIdAnnotation] == deploymentId).ToList();
        return apps.Count > 0 ? apps : throw MarathonException.WithMessage(404, $"DeploymentPlan {deploymentId} does not exist");
    }

    /// <summary>Whether the app's deployment is the one that created it: rolling it back removes the app.</summary>
    public static bool Started(V1Deployment app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Metadata.Annotations?.TryGetValue(AppDeployments.DeploymentActionAnnotation, out var action) == true && action == StartApplication;
    }

    /// <summary>
    /// DELETE /v2/deployments/{id}: each app's change in the deployment under way is rolled back, a new deployment to the
    /// version before it (or, for the deployment that created the app, the app's removal); with <paramref name="force"/>
    /// it is only cancelled, each app's rollout paused where it stands (null then). 404 in Marathon's words for a
    /// deployment not under way; 409 when an app's version before it is not kept, for only the deployment that created an
    /// app may remove it. <paramref name="authorize"/> judges every app as it is acted on, under the write lock and before
    /// any is changed, so that what was allowed is what is done, not a newer deployment or a new app of the same id.
    /// </summary>
    public async Task<AppVersions?> CancelDeploymentAsync(string deploymentId, bool force, Action<V1Deployment> authorize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authorize);
        await _writes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var affected = UnderWay(deploymentId);
            foreach (var app in affected)
            {
                authorize(app);
            }

            if (force)
            {
                foreach (var app in affected)
                {
                    await _client.MutateAsync<V1Deployment>(AppDeployments.Namespace, app.Metadata.Name, d =>
                    {
                        d.Metadata.Annotations[AppDeployments.CancelledDeploymentAnnotation] = deploymentId;
                        d.Spec.Paused = true;
                    }, cancellationToken).ConfigureAwait(false);
                }

                return null;
            }

            // Every app's way back is found before any is taken: one that cannot go back leaves them all as they are.
            var previous = affected.Where(a => !Started(a)).ToDictionary(a => a.Metadata.Name, a => _history.Versions(a).FirstOrDefault(v =>
                    string.CompareOrdinal(v.Version, a.Metadata.Annotations[AppDeployments.VersionAnnotation]) < 0)
                ?? throw MarathonException.WithMessage(409,
                    $"Deployment {deploymentId} cannot be rolled back: the version of app '{a.Metadata.Annotations[AppDeployments.AppIdAnnotation]}' before it is not kept"),
                StringComparer.Ordinal);
            // One deployment takes every app back, as Marathon's revert plan does.
            var revert = NewVersions("RestartApplication", configChange: true, null);
            foreach (var app in affected)
            {
                var appId = app.Metadata.Annotations[AppDeployments.AppIdAnnotation];
                if (Started(app))
                {
                    await RemoveAsync(app, CancellationToken.None).ConfigureAwait(false);
                }
                else
                {
                    var definition = AppDefinition.Normalize(AppRevisions.Definition(previous[app.Metadata.Name]), appId);
                    await ChangeInGroupAsync(appId, app, definition, revert, CancellationToken.None).ConfigureAwait(false);
                }
            }

            return affected.All(Started) ? revert with { Action = "StopApplication" } : revert;
        }
        finally
        {
            _writes.Release();
        }
    }
}
