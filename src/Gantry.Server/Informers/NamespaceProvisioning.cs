using Gantry.Server.Api;
using k8s.Models;

namespace Gantry.Server.Informers;

/// <summary>
/// Makes the namespace that an API of Gantry's own (Mesos tasks, Marathon apps) keeps its objects in, the first time
/// it needs it; a user may also have made it, or deleted it since, so it is looked for on each write.
/// </summary>
internal static class NamespaceProvisioning
{
    public static async Task EnsureNamespaceAsync(
        this InProcessClient client, Informer<V1Namespace> namespaces, string name, CancellationToken cancellationToken)
    {
        if (namespaces.Get(null, name) is not null)
        {
            return;
        }

        try
        {
            await client.CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } }, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code == 409)
        {
        }
    }
}
