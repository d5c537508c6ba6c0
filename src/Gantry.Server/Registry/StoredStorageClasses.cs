using Gantry.Core.Resources;
using Gantry.Server.Storage;
using k8s.Models;

namespace Gantry.Server.Registry;

/// <summary>
/// The StorageClasses as the watch cache holds them, each stored version decoded once for the admission plugins that
/// judge claims by their class.
/// </summary>
internal static class StoredStorageClasses
{
    private static readonly ResourceType StorageClasses = ResourceCatalog.Get("storage.k8s.io", "storageclasses");

    public static V1StorageClass? Get(WatchCache cache, string name) =>
        cache.Get(StorageClasses.Key(null, name)) is { } cached ? Read(cached) : null;

    public static IEnumerable<V1StorageClass> List(WatchCache cache) =>
        cache.List(StorageClasses.KeyPrefix, new WatchFilter(StorageClasses.KeyPrefix)).Items.Select(Read);

    private static V1StorageClass Read(CachedObject cached) => DecodedObjects<V1StorageClass>.Of(cached);
}
