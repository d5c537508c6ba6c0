using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Informers;
using Gantry.Server.Registry;
using Gantry.Server.Registry.CustomResources;
using Gantry.Server.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Controllers;

/// <summary>
/// Kubernetes' garbage collector over every resource kind: an object whose owners are all gone is
/// deleted (background cascading); an owner deleted in the foreground keeps its
/// <c>foregroundDeletion</c> finalizer until its dependents that block owner deletion are gone, and
/// its dependents are deleted first; an owner deleted with the <c>orphan</c> policy has its
/// references removed from its dependents before its <c>orphan</c> finalizer goes. The graph of
/// owners is kept from the watch cache; each decision reads the current objects from the registry.
/// </summary>
public sealed class GarbageCollector : BackgroundService
{
    public const string ForegroundFinalizer = "foregroundDeletion";
    public const string OrphanFinalizer = "orphan";

    private const int Workers = 4;
    private static readonly WriteOptions Options = new(FieldManager: "gantry-garbage-collector");

    private readonly ObjectRegistry _registry;
    private readonly ILogger<GarbageCollector> _logger;
    private readonly WorkQueue<string> _queue;
    private readonly CustomResourceTypes _customTypes;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ResourceType> _seenCustomTypes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OwnerGraphNode> _nodes = [];
    private readonly Dictionary<string, HashSet<string>> _dependents = [];
    private readonly Lock _gate = new();

    public GarbageCollector(ObjectRegistry registry, CustomResourceTypes customTypes, TimeProvider time, ILogger<GarbageCollector> logger)
    {
        _registry = registry;
        _customTypes = customTypes;
        _logger = logger;
        _queue = new WorkQueue<string>(time);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(ResourceCatalog.Types.Where(t => t.Kind != "Event")
            .Select(t => Task.Run(() => FollowAsync(t.KeyPrefix, _ => t, n => n.Type == t, stoppingToken), stoppingToken))
            .Append(Task.Run(() => FollowAsync(ResourceType.CustomResourceKeyPrefix, CustomTypeOf, n => n.Type.Custom is not null, stoppingToken), stoppingToken))
            .Append(_queue.RunAsync(Workers, ProcessAsync, (uid, ex) => _logger.LogWarning(ex, "Garbage collecting {Uid} failed", uid), stoppingToken)));

    /// <summary>
    /// The type of a custom resource by its key (<c>…/{group}/{plural}/…</c>), or the type it last had once its
    /// definition is gone.
    /// </summary>
    private ResourceType? CustomTypeOf(CachedObject obj)
    {
        if (_customTypes.Current.StoredTypes.FirstOrDefault(t => obj.Key.StartsWith(t.KeyPrefix, StringComparison.Ordinal)) is { } type)
        {
            _seenCustomTypes[type.KeyPrefix] = type;
            return type;
        }

        // The last of a definition's objects go as it is deleted: their deletion must still leave the graph.
        return _seenCustomTypes.Values.FirstOrDefault(t => obj.Key.StartsWith(t.KeyPrefix, StringComparison.Ordinal));
    }

    /// <summary>
    /// Keeps the graph for the objects under one key prefix (of one kind, or of every custom kind), re-listing when the
    /// watch falls out of the cache's window.
    /// </summary>
    private async Task FollowAsync(
        string prefix, Func<CachedObject, ResourceType?> typeOf, Func<OwnerGraphNode, bool> followed, CancellationToken cancellationToken)
    {
        long? from = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            HashSet<string>? seen = from is null ? [] : null;
            try
            {
                var events = _registry.Cache.Watch(prefix, new WatchFilter(prefix), from, false, from is null, cancellationToken);
                await foreach (var e in events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    from = Math.Max(from ?? 0, e.Revision);
                    if (e.Type == WatchEventType.Bookmark)
                    {
                        if (e.InitialEventsEnd && seen is not null)
                        {
                            ForgetAbsent(followed, seen);
                            seen = null;
                        }

                        continue;
                    }

                    if (e.Object is null || typeOf(e.Object) is not { } type || OwnerGraphNode.Parse(type, e.Object.Json) is not { } node)
                    {
                        continue;
                    }

                    seen?.Add(node.Uid);
                    if (e.Type == WatchEventType.Deleted)
                    {
                        Remove(node.Uid);
                    }
                    else
                    {
                        Upsert(node);
                    }
                }
            }
            catch (RevisionCompactedException)
            {
                from = null;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private void Upsert(OwnerGraphNode node)
    {
        lock (_gate)
        {
            var previous = _nodes.GetValueOrDefault(node.Uid);
            _nodes[node.Uid] = node;
            var oldOwners = previous?.Owners.Select(o => o.Uid).ToHashSet() ?? [];
            var newOwners = node.Owners.Select(o => o.Uid).ToHashSet();
            foreach (var owner in oldOwners.Except(newOwners))
            {
                RemoveDependent(owner, node.Uid);
            }

            foreach (var owner in newOwners.Except(oldOwners))
            {
                if (!_dependents.TryGetValue(owner, out var set))
                {
                    _dependents[owner] = set = [];
                }

                set.Add(node.Uid);
            }

            var interesting = (node.Owners.Count > 0 && (previous is null || !newOwners.SetEquals(oldOwners)))
                || (node.Deleting && node.Finalizers.Any(f => f is ForegroundFinalizer or OrphanFinalizer)
                    && (previous is null || !previous.Deleting || !previous.Finalizers.SequenceEqual(node.Finalizers)));
            if (interesting)
            {
                _queue.Add(node.Uid);
            }

            // Dependents of an owner that now waits for them must go.
            if (node.Deleting && node.Finalizers.Contains(ForegroundFinalizer) && previous?.Finalizers.Contains(ForegroundFinalizer) != true)
            {
                EnqueueDependents(node.Uid);
            }
        }
    }

    private void Remove(string uid)
    {
        lock (_gate)
        {
            if (!_nodes.Remove(uid, out var node))
            {
                return;
            }

            foreach (var owner in node.Owners)
            {
                RemoveDependent(owner.Uid, uid);
                _queue.Add(owner.Uid);
            }

            EnqueueDependents(uid);
        }
    }

    private void ForgetAbsent(Func<OwnerGraphNode, bool> followed, HashSet<string> present)
    {
        List<string> gone;
        lock (_gate)
        {
            gone = [.. _nodes.Values.Where(n => followed(n) && !present.Contains(n.Uid)).Select(n => n.Uid)];
        }

        foreach (var uid in gone)
        {
            Remove(uid);
        }
    }

    private void RemoveDependent(string owner, string dependent)
    {
        if (_dependents.TryGetValue(owner, out var set))
        {
            set.Remove(dependent);
            if (set.Count == 0 && !_nodes.ContainsKey(owner))
            {
                _dependents.Remove(owner);
            }
        }
    }

    private void EnqueueDependents(string owner)
    {
        if (_dependents.TryGetValue(owner, out var set))
        {
            foreach (var dependent in set)
            {
                _queue.Add(dependent);
            }
        }
    }

    private async Task ProcessAsync(string uid, CancellationToken ct)
    {
        OwnerGraphNode? node;
        List<OwnerGraphNode> dependents;
        lock (_gate)
        {
            node = _nodes.GetValueOrDefault(uid);
            dependents = _dependents.TryGetValue(uid, out var set) ? [.. set.Select(d => _nodes.GetValueOrDefault(d)).OfType<OwnerGraphNode>()] : [];
        }

        if (node is null || Current(node) is not { } current)
        {
            return;
        }

        if (current.Deleting)
        {
            if (current.Finalizers.Contains(OrphanFinalizer))
            {
                await OrphanDependentsAsync(current, dependents, ct).ConfigureAwait(false);
            }
            else if (current.Finalizers.Contains(ForegroundFinalizer))
            {
                await FinishForegroundAsync(current, dependents, ct).ConfigureAwait(false);
            }

            return;
        }

        var owners = current.Owners.Select(o => (o, StateOf(current, o))).ToList();
        var verdict = OwnerVerdict.Decide(owners, dependents.Count > 0);
        if (verdict.Remove.Count > 0)
        {
            var uids = verdict.Remove.Select(r => r.Uid).ToHashSet();
            await TryAsync(() => _registry.MutateAsync(current.Type, current.Namespace, current.Name, obj => RemoveOwners(obj, current.Uid, uids), null, null, Options, ct))
                .ConfigureAwait(false);
        }
        else if (verdict.Delete)
        {
            _logger.LogDebug("Deleting {Kind} {Namespace}/{Name}: its owners are gone", current.Type.Kind, current.Namespace, current.Name);
            await TryAsync(() => _registry.DeleteAsync(current.Type, current.Namespace, current.Name,
                new DeleteRequest(PropagationPolicy: verdict.Policy, PreconditionUid: current.Uid), ct)).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes what has not yet gone; once no dependent that blocks owner deletion is left, releases the owner.</summary>
    private async Task FinishForegroundAsync(OwnerGraphNode owner, List<OwnerGraphNode> dependents, CancellationToken ct)
    {
        var blocking = 0;
        foreach (var dependent in dependents)
        {
            if (Current(dependent) is not { } live)
            {
                continue;
            }

            if (live.Owners.Any(o => o.Uid == owner.Uid && o.BlockOwnerDeletion))
            {
                blocking++;
            }

            if (!live.Deleting)
            {
                _queue.Add(live.Uid);
            }
        }

        if (blocking == 0)
        {
            await TryAsync(() => _registry.MutateAsync(owner.Type, owner.Namespace, owner.Name, obj => RemoveFinalizer(obj, owner.Uid, ForegroundFinalizer), null, null, Options, ct))
                .ConfigureAwait(false);
        }
    }

    private async Task OrphanDependentsAsync(OwnerGraphNode owner, List<OwnerGraphNode> dependents, CancellationToken ct)
    {
        var owners = new HashSet<string> { owner.Uid };
        foreach (var dependent in dependents)
        {
            await TryAsync(() => _registry.MutateAsync(dependent.Type, dependent.Namespace, dependent.Name, obj => RemoveOwners(obj, dependent.Uid, owners), null, null, Options, ct))
                .ConfigureAwait(false);
        }

        await TryAsync(() => _registry.MutateAsync(owner.Type, owner.Namespace, owner.Name, obj => RemoveFinalizer(obj, owner.Uid, OrphanFinalizer), null, null, Options, ct))
            .ConfigureAwait(false);
    }

    /// <summary>Solid when present with the same uid (or of a kind this server does not serve), else dangling or waiting.</summary>
    private OwnerState StateOf(OwnerGraphNode dependent, OwnerGraphReference reference)
    {
        var type = ResourceCatalog.FindByKind(reference.ApiVersion, reference.Kind) ?? _customTypes.Current.FindByKind(reference.ApiVersion, reference.Kind)?.Stored;
        if (type is null)
        {
            return OwnerState.Solid;
        }

        var owner = _registry.Get(type, type.Namespaced ? dependent.Namespace : null, reference.Name) is { } cached ? OwnerGraphNode.Parse(type, cached.Json) : null;
        if (owner is null || owner.Uid != reference.Uid)
        {
            return OwnerState.Dangling;
        }

        return owner.Deleting && owner.Finalizers.Contains(ForegroundFinalizer) ? OwnerState.WaitingForDependents : OwnerState.Solid;
    }

    /// <summary>The object as stored now, if it is still the same one.</summary>
    private OwnerGraphNode? Current(OwnerGraphNode node) =>
        _registry.Get(node.Type, node.Namespace, node.Name) is { } cached && OwnerGraphNode.Parse(node.Type, cached.Json) is { } live && live.Uid == node.Uid
            ? live
            : null;

    private static JsonObject RemoveOwners(JsonObject obj, string uid, HashSet<string> owners)
    {
        if (ObjectMetadata.Uid(obj) != uid || ObjectMetadata.Of(obj)["ownerReferences"] is not JsonArray references)
        {
            return obj;
        }

        var kept = references.Where(r => !owners.Contains(r?["uid"]?.GetValue<string>() ?? "")).Select(r => r?.DeepClone()).ToArray();
        if (kept.Length == 0)
        {
            ObjectMetadata.Of(obj).Remove("ownerReferences");
        }
        else
        {
            ObjectMetadata.Of(obj)["ownerReferences"] = new JsonArray(kept);
        }

        return obj;
    }

    private static JsonObject RemoveFinalizer(JsonObject obj, string uid, string finalizer)
    {
        if (ObjectMetadata.Uid(obj) != uid)
        {
            return obj;
        }

        var rest = ObjectMetadata.Finalizers(obj).Where(f => f != finalizer).ToList();
        if (rest.Count == 0)
        {
            ObjectMetadata.Of(obj).Remove("finalizers");
        }
        else
        {
            ObjectMetadata.Of(obj)["finalizers"] = new JsonArray(rest.Select(f => (JsonNode?)f).ToArray());
        }

        return obj;
    }

    private static async Task TryAsync(Func<Task> write)
    {
        try
        {
            await write().ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code is 404 or 409)
        {
        }
    }
}
