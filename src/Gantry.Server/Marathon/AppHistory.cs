using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Informers;
using Gantry.Server.Registry;
using Gantry.Server.Storage;
using k8s.Models;

namespace Gantry.Server.Marathon;

/// <summary>
/// The versions Marathon keeps of each app, kept as ControllerRevisions (see <see cref="AppRevisions"/>): one is
/// written for every change Marathon records as a version, the oldest deleted beyond Marathon's limit. Reads come from
/// the registry, not an informer, so that a client lists the version its own write made at once.
/// </summary>
public sealed class AppHistory(InProcessClient client)
{
    private static readonly ResourceType Revisions = InProcessClient.TypeOf<V1ControllerRevision>();

    /// <summary>
    /// The app's versions, newest first; its current version always among them, taken from its Deployment when no
    /// revision keeps it (an app created before versions were kept, or whose revision was refused).
    /// </summary>
    public IReadOnlyList<StoredVersion> Versions(V1Deployment app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var stored = Stored(app);
        return app.Metadata.Annotations?.TryGetValue(AppDeployments.VersionAnnotation, out var current) != true || stored.Any(v => v.Version == current)
            ? stored
            : [.. stored.Append(AppRevisions.Current(app)).OrderByDescending(v => v.Version, StringComparer.Ordinal)];
    }

    /// <summary>Keeps the version a change gave <paramref name="app"/> (the Deployment as written), then drops the surplus.</summary>
    public async Task RecordAsync(V1Deployment app, JsonObject definition, AppVersions versions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        var kept = Stored(app);
        try
        {
            await client.CreateAsync(AppRevisions.Build(app, definition, versions, AppRevisions.Next(kept)), cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code == 409)
        {
            // The version is kept already: versions are unique per app, so this is the same one.
        }

        foreach (var surplus in AppRevisions.Surplus(Stored(app)))
        {
            try
            {
                await client.DeleteAsync<V1ControllerRevision>(AppDeployments.Namespace, surplus.Name, DeleteRequest.Default, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException ex) when (ex.Code == 404)
            {
            }
        }
    }

    /// <summary>The versions the app's revisions keep, newest first.</summary>
    private IReadOnlyList<StoredVersion> Stored(V1Deployment app)
    {
        var name = app.Metadata.Name;
        var filter = new WatchFilter(Revisions.NamespacePrefix(AppDeployments.Namespace),
            o => o.Labels.TryGetValue(AppDeployments.AppLabel, out var owner) && owner == name);
        var stored = client.Registry.Cache.List(Revisions.KeyPrefix, filter).Items.Select(o => JsonNode.Parse(o.Json)!.AsObject());
        return AppRevisions.Versions(stored, app.Metadata.Uid);
    }
}
