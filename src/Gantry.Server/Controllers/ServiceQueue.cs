using Gantry.Server.Informers;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// The service keys (namespace/name) a pod change concerns, as the endpoints controllers' pod handlers
/// compute them: the Services whose selectors match the pod before or after the change.
/// </summary>
internal static class ServiceQueue
{
    public static string Key(V1ObjectMeta metadata) => $"{metadata.NamespaceProperty}/{metadata.Name}";

    public static (string Namespace, string Name) Split(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return (key[..slash], key[(slash + 1)..]);
    }

    public static IEnumerable<string> ForPodChange(Informer<V1Service> services, V1Pod? old, V1Pod? current)
    {
        var ns = (current ?? old)?.Namespace();
        if (ns is null)
        {
            return [];
        }

        return services.ListInNamespace(ns)
            .Where(s => (old is not null && EndpointPods.Selects(s, old)) || (current is not null && EndpointPods.Selects(s, current)))
            .Select(s => Key(s.Metadata))
            .ToList();
    }
}
