using Gantry.Server.Informers;
using Gantry.Server.Storage;
using k8s;
using k8s.Models;

namespace Gantry.Server.Marathon;

/// <summary>A group's apps removed together (<c>DELETE /v2/groups/{id}</c>).</summary>
public sealed partial class MarathonApps
{
    /// <summary>
    /// DELETE /v2/groups/{id}: every app under the group removed in one deployment; the ids of the apps removed (not those
    /// another client deleted meanwhile). 404 in Marathon's words when no app is under it.
    /// </summary>
    public async Task<(AppVersions Versions, IReadOnlyList<string> Removed)> DeleteGroupAsync(string groupId, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var members = StoredApps().Where(a => AppGroups.Contains(groupId, a.Metadata.Annotations[AppDeployments.AppIdAnnotation])).ToList();
            if (members.Count == 0)
            {
                throw AppGroups.Unknown(groupId);
            }

            var versions = NewVersions("StopApplication", configChange: true, null);
            var removed = new List<string>();
            foreach (var app in members)
            {
                if (await RemoveAsync(app, cancellationToken).ConfigureAwait(false))
                {
                    removed.Add(app.Metadata.Annotations[AppDeployments.AppIdAnnotation]);
                }
            }

            return (versions, removed);
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>The apps as the registry holds them now, as <see cref="Find"/> reads one: a group delete sees the writes just made.</summary>
    private List<V1Deployment> StoredApps()
    {
        var type = InProcessClient.TypeOf<V1Deployment>();
        return [.. _client.Registry.Cache.List(type.KeyPrefix, new WatchFilter(type.NamespacePrefix(AppDeployments.Namespace))).Items
            .Select(o => KubernetesJson.Deserialize<V1Deployment>(new MemoryStream(o.Json, writable: false)))
            .Where(d => d.Metadata.Annotations?.ContainsKey(AppDeployments.AppIdAnnotation) == true && d.Metadata.Annotations.ContainsKey(AppDeployments.DefinitionAnnotation))];
    }
}
