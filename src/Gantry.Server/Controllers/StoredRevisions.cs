using Gantry.Server.Api;
using Gantry.Server.Informers;
using Gantry.Server.Registry;
using k8s;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>The ControllerRevision reads and writes the DaemonSet and StatefulSet histories share.</summary>
public static class StoredRevisions
{
    /// <summary>
    /// The revision as stored, read past the informer: a create refused because the name is taken needs to know by
    /// what, and the informer may not show a revision written a moment ago.
    /// </summary>
    public static V1ControllerRevision? Get(InProcessClient client, V1ControllerRevision revision) =>
        client.Registry.Get(InProcessClient.TypeOf<V1ControllerRevision>(), revision.Namespace(), revision.Name()) is { } stored
            ? KubernetesJson.Deserialize<V1ControllerRevision>(new MemoryStream(stored.Json, writable: false))
            : null;

    /// <summary>Deletes the revision; one already gone is not an error.</summary>
    public static async Task DeleteAsync(InProcessClient client, V1ControllerRevision revision, CancellationToken cancellationToken)
    {
        try
        {
            await client.DeleteAsync<V1ControllerRevision>(revision.Namespace(), revision.Name(), DeleteRequest.Default, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
        }
    }
}
