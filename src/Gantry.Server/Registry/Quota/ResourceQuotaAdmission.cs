using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Storage;
using k8s;
using k8s.Models;

namespace Gantry.Server.Registry.Quota;

/// <summary>
/// Kubernetes' ResourceQuota admission plugin, for creates and Service updates. Every quota of the namespace that holds something the new
/// object charges (and, if scoped, matches the pod) must have room for it: the object is refused with kube's
/// <c>exceeded quota: NAME, requested: ..., used: ..., limited: ...</c>, or <c>failed quota: NAME: must specify ...</c>
/// for a pod whose containers do not all ask for a held cpu or memory, or <c>status unknown for quota</c> before the
/// quota controller has counted. Admitted, the charge is written into each quota's <c>status.used</c> with
/// compare-and-swap before the object is stored, one create of a namespace at a time, so concurrent creates cannot
/// overrun a quota; the controller later recounts from what is stored, which also gives back what a failed create or a
/// deletion held.
/// </summary>
public sealed class ResourceQuotaAdmission(TimeProvider time) : IQuotaAdmission
{
    private const int Attempts = 5;

    private static readonly ResourceType Quotas = ResourceCatalog.Get("", "resourcequotas");

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _turns = new(StringComparer.Ordinal);

    public async Task ChargeAsync(
        ObjectRegistry registry,
        ResourceType type,
        string? ns,
        IKubernetesObject<V1ObjectMeta> obj,
        IKubernetesObject<V1ObjectMeta>? old,
        WriteOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(options);
        // kube's evaluators charge creates; of updates, only a Service's (its node ports and load balancers can grow).
        if (ns is null || (old is not null && obj is not V1Service))
        {
            return;
        }

        if (registry.Cache.List(Quotas.KeyPrefix, new WatchFilter(Quotas.NamespacePrefix(ns))).Items.Count == 0)
        {
            return;
        }

        // One charge at a time per namespace in this server, as kube's quota evaluator works through a namespace's
        // requests in turn: concurrent creates would otherwise lose to each other's status writes until they gave up.
        var turn = _turns.GetOrAdd(ns, _ => new SemaphoreSlim(1, 1));
        await turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ChargeInTurnAsync(registry, type, ns, obj, old, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            turn.Release();
        }
    }

    private async Task ChargeInTurnAsync(
        ObjectRegistry registry,
        ResourceType type,
        string ns,
        IKubernetesObject<V1ObjectMeta> obj,
        IKubernetesObject<V1ObjectMeta>? old,
        WriteOptions options,
        CancellationToken cancellationToken)
    {
        var charged = new HashSet<string>(StringComparer.Ordinal);
        for (var attempt = 1; ; attempt++)
        {
            var quotas = registry.Cache.List(Quotas.KeyPrefix, new WatchFilter(Quotas.NamespacePrefix(ns))).Items
                .Select(Read).Where(q => !charged.Contains(q.Name())).OrderBy(q => q.Name(), StringComparer.Ordinal).ToList();
            var charges = QuotaCheck.Charges(type, obj, old, quotas, time.GetUtcNow());
            if (options.DryRun)
            {
                return;
            }

            try
            {
                foreach (var (quota, used) in charges)
                {
                    await WriteUsedAsync(registry, quota, used, cancellationToken).ConfigureAwait(false);
                    charged.Add(quota.Name());
                }

                return;
            }
            catch (ApiException ex) when (ex.Code == 409 && attempt < Attempts)
            {
                // The controller (or another server) wrote the quota meanwhile: judge again against what it wrote.
            }
        }
    }

    private static Task<JsonObject> WriteUsedAsync(ObjectRegistry registry, V1ResourceQuota quota, Dictionary<string, decimal> used, CancellationToken cancellationToken)
    {
        var status = quota.Status ?? new V1ResourceQuotaStatus();
        var next = new Dictionary<string, ResourceQuantity>(status.Used ?? new Dictionary<string, ResourceQuantity>());
        foreach (var (name, amount) in used)
        {
            next[name] = ResourceAmounts.ToQuantity(name, amount);
        }

        var written = new V1ResourceQuota
        {
            ApiVersion = "v1",
            Kind = "ResourceQuota",
            Metadata = quota.Metadata,
            Spec = quota.Spec,
            Status = new V1ResourceQuotaStatus { Hard = status.Hard, Used = next },
        };
        return registry.UpdateAsync(
            Quotas, quota.Namespace(), quota.Name(), ObjectDecoder.ToNode(written), "status", new WriteOptions(), cancellationToken);
    }

    /// <summary>Each stored version of a quota is decoded once and kept with it (a cached version never changes). Read only.</summary>
    private static V1ResourceQuota Read(CachedObject cached) => DecodedObjects<V1ResourceQuota>.Of(cached);
}
