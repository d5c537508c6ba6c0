using Gantry.Core.Resources;
using Gantry.Server.Storage;
using k8s;
using k8s.Models;

namespace Gantry.Server.Registry.Allocation;

/// <summary>Every Service the watch cache holds: what <see cref="ServiceAllocations.Rebuild"/> starts from.</summary>
public static class StoredServices
{
    public static IEnumerable<V1Service> In(WatchCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        var type = ResourceCatalog.Get("", "services");
        var (items, _, _) = cache.List(type.KeyPrefix, new WatchFilter(type.KeyPrefix));
        return items.Select(item => KubernetesJson.Deserialize<V1Service>(new MemoryStream(item.Json, writable: false)));
    }
}
