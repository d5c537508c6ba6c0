using k8s.Models;

namespace Gantry.Server.Marathon;

/// <summary>A deployment under way, rolled back or cancelled (<c>DELETE /v2/deployments/{id}</c>).</summary>
public sealed partial class MarathonApps
{
    /// <summary>The app whose deployment under way is <paramref name="deploymentId"/>; 404 in Marathon's words when none is.</summary>
    public V1Deployment UnderWay(string deploymentId) =>
        Apps().FirstOrDefault(a => AppView.InProgress(a) && a.Metadata.Annotations[AppDeployments.DeploymentIdAnnotation] == deploymentId)
            ?? throw MarathonException.WithMessage(404, $"DeploymentPlan {deploymentId} does not exist");

    /// <summary>Whether the app's deployment is the one that created it: rolling it back removes the app.</summary>
    public static bool Started(V1Deployment app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Metadata.Annotations?.TryGetValue(AppDeployments.DeploymentActionAnnotation, out var action) == true && action == StartApplication;
    }

    /// <summary>
    /// DELETE /v2/deployments/{id}: the app's deployment under way is rolled back, a new deployment to the version before it
    /// (or, for the deployment that created the app, the app's removal); with <paramref name="force"/> it is only
    /// cancelled, its rollout paused where it stands (null then). 404 in Marathon's words for a deployment not under way;
    /// 409 when the version before it is not kept, for only the deployment that created the app may remove it.
    /// <paramref name="authorize"/> judges the app as it is acted on, under the write lock, so that what was allowed is
    /// what is done, not a newer deployment or a new app of the same id.
    /// </summary>
    public async Task<AppVersions?> CancelDeploymentAsync(string deploymentId, bool force, Action<V1Deployment> authorize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authorize);
        await _writes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var appId = UnderWay(deploymentId).Metadata.Annotations[AppDeployments.AppIdAnnotation];
            var current = Find(appId) is { } stored && AppView.InProgress(stored)
                && stored.Metadata.Annotations[AppDeployments.DeploymentIdAnnotation] == deploymentId
                    ? stored
                    : throw MarathonException.WithMessage(404, $"DeploymentPlan {deploymentId} does not exist");
            authorize(current);
            if (force)
            {
                await _client.MutateAsync<V1Deployment>(AppDeployments.Namespace, current.Metadata.Name, d =>
                {
                    d.Metadata.Annotations[AppDeployments.CancelledDeploymentAnnotation] = deploymentId;
                    d.Spec.Paused = true;
                }, cancellationToken).ConfigureAwait(false);
                return null;
            }

            if (Started(current))
            {
                var stop = NewVersions("StopApplication", configChange: true, current);
                await RemoveAsync(current, cancellationToken).ConfigureAwait(false);
                return stop;
            }

            var previous = _history.Versions(current).FirstOrDefault(v =>
                string.CompareOrdinal(v.Version, current.Metadata.Annotations[AppDeployments.VersionAnnotation]) < 0)
                ?? throw MarathonException.WithMessage(409,
                    $"Deployment {deploymentId} cannot be rolled back: the version of app '{appId}' before it is not kept");
            return await ChangeAsync(appId, current, AppRevisions.Definition(previous), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writes.Release();
        }
    }
}
