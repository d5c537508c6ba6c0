using Gantry.Server.Informers;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// The endpoints controllers' queue of service keys (namespace/name): a Service's own changes, and a
/// pod's changes for the Services whose selectors match the pod before or after the change.
/// </summary>
internal static class ServiceQueue
{
    public static string Key(V1ObjectMeta metadata) => $"{metadata.NamespaceProperty}/{metadata.Name}";

    public static (string Namespace, string Name) Split(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return (key[..slash], key[(slash + 1)..]);
    }

    /// <summary>Queues the key of every Service that changes, and of every Service a pod change concerns.</summary>
    public static void Follow(WorkQueue<string> queue, Informer<V1Service> services, Informer<V1Pod> pods)
    {
        services.OnChange((old, current) => queue.Add(Key((current ?? old)!.Metadata)));
        pods.OnChange((old, current) =>
        {
            foreach (var key in ForPodChange(services, old, current))
            {
                queue.Add(key);
            }
        });
    }

    private static List<string> ForPodChange(Informer<V1Service> services, V1Pod? old, V1Pod? current)
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
