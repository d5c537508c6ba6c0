using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Informers;
using Gantry.Server.Registry.Quota;
using Gantry.Server.Storage;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Controllers;

/// <summary>
/// Kubernetes' resource quota controller: keeps every ResourceQuota's status current — <c>hard</c> as its spec says,
/// <c>used</c> counted from what the namespace stores, for each held resource some kind charges. A quota is counted when
/// it is created or its <c>spec.hard</c> changes; when a pod of its namespace is deleted or stops being charged (it
/// ended, or its deletion grace ran out), a Service changes its type or ports, or a counted object of another kind is
/// deleted (kube's replenishment); and every five minutes (kube's <c>--resource-quota-sync-period</c>). Creates are
/// charged by admission, not here. The status is written with compare-and-swap on the version counted against, so a
/// charge admitted meanwhile is never written over.
/// </summary>
public sealed class ResourceQuotaController : BackgroundService
{
    private const int Workers = 1;

    private static readonly TimeSpan ResyncPeriod = TimeSpan.FromMinutes(5);
    private static readonly ResourceType Pods = ResourceCatalog.Get("", "pods");
    private static readonly ResourceType Services = ResourceCatalog.Get("", "services");
    private static readonly ResourceType Claims = ResourceCatalog.Get("", "persistentvolumeclaims");

    private readonly SharedInformers _informers;
    private readonly Informer<V1ResourceQuota> _quotas;
    private readonly Informer<V1Pod> _pods;
    private readonly Informer<V1Service> _services;
    private readonly InProcessClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly WorkQueue<string> _queue;

    public ResourceQuotaController(SharedInformers informers, InProcessClient client, TimeProvider time, ILogger<ResourceQuotaController> logger)
    {
        ArgumentNullException.ThrowIfNull(informers);
        _informers = informers;
        _quotas = informers.For<V1ResourceQuota>();
        _pods = informers.For<V1Pod>();
        _services = informers.For<V1Service>();
        _client = client;
        _time = time;
        _logger = logger;
        _queue = new WorkQueue<string>(time);
        // Not for a change of status alone: admission charges by writing the status before the object it charges is
        // stored, and a count made in between would give the charge back (kube's updateQuota looks at spec.hard only).
        _quotas.OnChange((old, current) =>
        {
            if (current is not null && (old is null || !SameAmounts(old.Spec?.Hard, current.Spec?.Hard ?? new Dictionary<string, ResourceQuantity>())))
            {
                _queue.Add(Key(current));
            }
        });
        // A pod's containers cannot change, so what it is charged changes only when it stops being charged at all.
        _pods.OnChange((old, current) =>
        {
            if (old is not null && (current is null || PodUsage.IsCharged(old, _time.GetUtcNow()) != PodUsage.IsCharged(current, _time.GetUtcNow())))
            {
                RecountNamespace(old.Namespace());
            }
        });
        // A Service changing its type or ports changes the node ports and load balancers it holds: admission charges what
        // an update adds, and a count gives back what one takes away.
        _services.OnChange((old, current) =>
        {
            if (old is not null && (current is null || old.Spec?.Type != current.Spec?.Type || old.Spec?.Ports?.Count != current.Spec?.Ports?.Count))
            {
                RecountNamespace(old.Namespace());
            }
        });
    }

    /// <summary>Events are left out: kube's replenishment has no monitor for them, and they are most of what is written.</summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(ResourceCatalog.Types.Where(t => t.Namespaced && t != Pods && t != Services && t.Kind != "Event")
            .Select(t => Task.Run(() => FollowDeletionsAsync(t, stoppingToken), stoppingToken))
            .Append(ResyncAsync(stoppingToken))
            .Append(_queue.RunWhenSyncedAsync(
                _informers, Workers, SyncAsync, (key, ex) => _logger.LogWarning(ex, "Syncing ResourceQuota {Key} failed", key), stoppingToken)));

    /// <summary>One count of the quota named by <paramref name="key"/> (namespace/name).</summary>
    internal async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ServiceQueue.Split(key);
        if (_quotas.Get(ns, name) is not { } quota)
        {
            return;
        }

        var hard = quota.Spec?.Hard ?? new Dictionary<string, ResourceQuantity>();
        var used = Count(ns, quota, hard.Keys.ToList());
        var status = quota.Status;
        if (!SameAmounts(status?.Hard, hard) || !SameAmounts(status?.Used, used))
        {
            var written = new V1ResourceQuota
            {
                ApiVersion = "v1",
                Kind = "ResourceQuota",
                Metadata = quota.Metadata,
                Spec = quota.Spec,
                Status = new V1ResourceQuotaStatus { Hard = hard, Used = used },
            };
            try
            {
                await _client.UpdateAsync(written, cancellationToken, "status").ConfigureAwait(false);
            }
            catch (ApiException ex) when (ex.Code == 409)
            {
                // Admission charged the quota since it was read: count again against what it wrote.
                _queue.Retry(key);
                return;
            }
        }
    }

    /// <summary>The namespace's usage of each held resource some kind charges (those no kind charges are left out, as kube's).</summary>
    private Dictionary<string, ResourceQuantity> Count(string ns, V1ResourceQuota quota, List<string> held)
    {
        var now = _time.GetUtcNow();
        var used = ResourceAmounts.Empty();
        foreach (var type in ResourceCatalog.Types.Where(t => t.Namespaced))
        {
            var names = held.Where(h => ObjectUsage.Tracks(type, h)).ToList();
            if (names.Count == 0 || (QuotaScopes.IsScoped(quota.Spec) && type != Pods))
            {
                continue;
            }

            foreach (var name in names)
            {
                used.TryAdd(name, 0);
            }

            if (type != Pods && type != Services && type != Claims)
            {
                // Any other kind charges one of each of its count names, whatever it holds.
                var stored = _client.Registry.Cache.List(type.KeyPrefix, new WatchFilter(type.NamespacePrefix(ns))).Items.Count;
                foreach (var name in names)
                {
                    ResourceAmounts.Add(used, name, stored);
                }

                continue;
            }

            IEnumerable<IKubernetesObject<V1ObjectMeta>> objects = type == Pods
                ? _pods.ListInNamespace(ns).Where(pod => QuotaScopes.Matches(quota.Spec, pod))
                : type == Services
                    ? _services.ListInNamespace(ns)
                    // A claim charges its storage and its class's names (ObjectUsage), not only one of each.
                    : _client.Registry.Cache.List(type.KeyPrefix, new WatchFilter(type.NamespacePrefix(ns))).Items
                        .Select(c => KubernetesJson.Deserialize<V1PersistentVolumeClaim>(new MemoryStream(c.Json, writable: false)));
            foreach (var obj in objects)
            {
                foreach (var (name, amount) in ResourceAmounts.Mask(ObjectUsage.Of(type, obj, now), names))
                {
                    ResourceAmounts.Add(used, name, amount);
                }
            }
        }

        return used.ToDictionary(p => p.Key, p => ResourceAmounts.ToQuantity(p.Key, p.Value), StringComparer.Ordinal);
    }

    /// <summary>Counts every quota again each <see cref="ResyncPeriod"/>, for what no deletion announced.</summary>
    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(ResyncPeriod, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var quota in _quotas.List())
                {
                    _queue.Add(Key(quota));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Recounts the quotas of a namespace when an object of <paramref name="type"/> is deleted from it.</summary>
    private async Task FollowDeletionsAsync(ResourceType type, CancellationToken cancellationToken)
    {
        var cache = _client.Registry.Cache;
        long? from = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var events = cache.Watch(type.KeyPrefix, new WatchFilter(type.KeyPrefix), from, false, false, cancellationToken);
                await foreach (var e in events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    from = Math.Max(from ?? 0, e.Revision);
                    if (e is { Type: Storage.WatchEventType.Deleted, Object.Key: var key } && key.IndexOf('/', type.KeyPrefix.Length) is var slash and > 0)
                    {
                        RecountNamespace(key[type.KeyPrefix.Length..slash]);
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

    private void RecountNamespace(string ns)
    {
        foreach (var quota in _quotas.ListInNamespace(ns))
        {
            _queue.Add(Key(quota));
        }
    }

    private static bool SameAmounts(IDictionary<string, ResourceQuantity>? a, IDictionary<string, ResourceQuantity> b) =>
        (a?.Count ?? 0) == b.Count && b.All(p => a!.TryGetValue(p.Key, out var q) && q.ToDecimal() == p.Value.ToDecimal());

    private static string Key(V1ResourceQuota quota) => $"{quota.Namespace()}/{quota.Name()}";
}
