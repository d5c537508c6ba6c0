using System.Text;
using Gantry.Core.Resources;
using Gantry.Server.Storage;
using Gantry.Tests.Registry;
using k8s;
using k8s.Models;

namespace Gantry.Tests.Controllers;

/// <summary>
/// What the store holds, read past any informer: the objects of a type in the default namespace, whether an informer
/// has caught up with them, and a wait on their changes that wakes on each one instead of sleeping.
/// </summary>
internal static class StoredObjects
{
    public static List<T> ListStored<T>(this RegistryTestContext context, ResourceType type) =>
        [.. context.Cache.List(type.KeyPrefix, new WatchFilter(type.NamespacePrefix("default"))).Items
            .Select(o => KubernetesJson.Deserialize<T>(Encoding.UTF8.GetString(o.Json)))];

    /// <summary>Whether <paramref name="held"/> is every object of <paramref name="type"/> at its stored revision.</summary>
    public static bool HoldsStored<T>(this RegistryTestContext context, ResourceType type, List<T> held) where T : IKubernetesObject<V1ObjectMeta>
    {
        var stored = context.Cache.List(type.KeyPrefix, new WatchFilter(type.KeyPrefix)).Items.Select(o => $"{o.Key}@{o.ModRevision}").Order();
        return stored.SequenceEqual(held.Select(o => $"{type.Key(o.Namespace(), o.Name())}@{o.ResourceVersion()}").Order());
    }

    /// <summary>Waits until <paramref name="done"/> holds, re-checking on every stored change to <paramref name="type"/>.</summary>
    public static async Task UntilStoredAsync(this RegistryTestContext context, ResourceType type, Func<bool> done)
    {
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(context.Ct);
        var changes = context.Cache.Watch(type.KeyPrefix, new WatchFilter(type.KeyPrefix), context.Cache.Revision, false, false, watching.Token);
        while (!done())
        {
            await changes.ReadAsync(context.Ct);
        }
    }
}
