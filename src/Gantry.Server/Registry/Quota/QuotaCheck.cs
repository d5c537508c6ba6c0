using Gantry.Core.Resources;
using Gantry.Server.Api;
using k8s;
using k8s.Models;

namespace Gantry.Server.Registry.Quota;

/// <summary>
/// Whether a new object fits the quotas of its namespace (kube's quota evaluator <c>checkRequest</c>), and what each
/// quota's <c>status.used</c> becomes with it. A quota is judged by its status, as kube's admission judges it: one the
/// controller has not counted yet holds nothing.
/// </summary>
public static class QuotaCheck
{
    /// <summary>
    /// The quotas the object charges, each with its new usage of what the object uses (and that alone). An update
    /// (<paramref name="old"/> given) charges only what it adds to what the old object held.
    /// </summary>
    /// <exception cref="ApiException">403 Forbidden, in kube's words, when the object does not fit a quota.</exception>
    public static List<(V1ResourceQuota Quota, Dictionary<string, decimal> Used)> Charges(
        ResourceType type, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta>? old, IEnumerable<V1ResourceQuota> quotas, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(quotas);
        var pertinent = new List<(V1ResourceQuota Quota, List<string> Held)>();
        foreach (var quota in quotas)
        {
            var held = (quota.Status?.Hard?.Keys ?? []).Where(name => ObjectUsage.Tracks(type, name)).Order(StringComparer.Ordinal).ToList();
            if (held.Count == 0 || !Matches(quota, obj))
            {
                continue;
            }

            if (obj is V1Pod pod && PodUsage.MissingRequirements(pod, held) is { } missing)
            {
                throw Refused(type, obj, $"failed quota: {quota.Name()}: {missing}");
            }

            if (held.Any(name => quota.Status?.Used?.ContainsKey(name) != true))
            {
                throw Refused(type, obj, $"status unknown for quota: {quota.Name()}, resources: {string.Join(",", held)}");
            }

            pertinent.Add((quota, held));
        }

        var charges = new List<(V1ResourceQuota, Dictionary<string, decimal>)>();
        if (pertinent.Count == 0)
        {
            return charges;
        }

        var before = old is null ? null : ObjectUsage.Of(type, old, now);
        var usage = ObjectUsage.Of(type, obj, now)
            .Select(p => KeyValuePair.Create(p.Key, p.Value - (before?.GetValueOrDefault(p.Key) ?? 0)))
            .Where(p => p.Value > 0)
            .ToDictionary(StringComparer.Ordinal);
        foreach (var (quota, names) in pertinent)
        {
            var requested = ResourceAmounts.Mask(usage, names);
            if (requested.Count == 0)
            {
                continue;
            }

            var hard = ResourceAmounts.From(quota.Status!.Hard);
            var used = ResourceAmounts.Mask(ResourceAmounts.From(quota.Status.Used), requested.Keys);
            var after = ResourceAmounts.Sum(used, requested);
            var exceeded = after.Where(p => p.Value > hard[p.Key]).Select(p => p.Key).ToList();
            if (exceeded.Count > 0)
            {
                throw Refused(type, obj,
                    $"exceeded quota: {quota.Name()}, requested: {ResourceAmounts.Print(ResourceAmounts.Mask(requested, exceeded))}, " +
                    $"used: {ResourceAmounts.Print(ResourceAmounts.Mask(used, exceeded))}, limited: {ResourceAmounts.Print(ResourceAmounts.Mask(hard, exceeded))}");
            }

            charges.Add((quota, after));
        }

        return charges;
    }

    /// <summary>A scoped quota charges only the pods its scopes match.</summary>
    private static bool Matches(V1ResourceQuota quota, IKubernetesObject<V1ObjectMeta> obj) =>
        !QuotaScopes.IsScoped(quota.Spec) || (obj is V1Pod pod && QuotaScopes.Matches(quota.Spec, pod));

    private static ApiException Refused(ResourceType type, IKubernetesObject<V1ObjectMeta> obj, string detail) =>
        ApiException.Forbidden(type, obj.Metadata?.Name ?? obj.Metadata?.GenerateName, detail);
}
