using System.Globalization;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Storage;
using k8s.Models;

namespace Gantry.Server.Registry.Quota;

/// <summary>
/// Kubernetes' LimitRanger admission plugin for new pods. The namespace's LimitRanges of type Container give each
/// container (and init container) the default requests and limits it lacks, noted in the pod's
/// <c>kubernetes.io/limit-ranger</c> annotation; then every Container and Pod limit (min, max, maxLimitRequestRatio) must
/// hold, or the pod is refused with kube's messages (<c>maximum cpu usage per Container is 1, but limit is 2</c>).
/// Pod updates are not judged: containers and their resources cannot change.
/// </summary>
public sealed class LimitRanger(WatchCache cache) : IPodAdmission
{
    public const string Annotation = "kubernetes.io/limit-ranger";

    private static readonly ResourceType LimitRanges = ResourceCatalog.Get("", "limitranges");
    private static readonly ResourceType Pods = ResourceCatalog.Get("", "pods");

    public Task AdmitAsync(V1Pod pod, string ns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var ranges = cache.List(LimitRanges.KeyPrefix, new WatchFilter(LimitRanges.NamespacePrefix(ns))).Items;
        if (ranges.Count == 0 || pod.Spec is null)
        {
            return Task.CompletedTask;
        }

        // In the lister's order (by name), as kube's plugin takes them: a default the first range sets stays, and the
        // first range the pod breaks is the one it is refused for.
        var limitRanges = ranges.Select(Read).ToList();
        RequestLimits(pod);
        ApplyDefaults(pod, [.. limitRanges.SelectMany(r => r.Spec?.Limits ?? [])]);
        foreach (var range in limitRanges)
        {
            // kube's aggregate error: each message once; one alone, several in brackets.
            var errors = Violations(pod, range.Spec?.Limits ?? []).Distinct().ToList();
            if (errors.Count > 0)
            {
                throw ApiException.Forbidden(Pods, pod.Metadata?.Name ?? pod.Metadata?.GenerateName,
                    errors.Count == 1 ? errors[0] : $"[{string.Join(", ", errors)}]");
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// The API's defaulting, which kube runs before admission: a resource a container limits but does not ask for is
    /// asked for at its limit, so that neither a range's default request nor its checks see it missing.
    /// </summary>
    private static void RequestLimits(V1Pod pod)
    {
        foreach (var container in (pod.Spec.Containers ?? []).Concat(pod.Spec.InitContainers ?? []))
        {
            if (container.Resources?.Limits is not { Count: > 0 } limits)
            {
                continue;
            }

            var requests = container.Resources.Requests ??= new Dictionary<string, ResourceQuantity>();
            foreach (var (name, limit) in limits)
            {
                requests.TryAdd(name, limit);
            }
        }
    }

    /// <summary>kube's <c>mergePodResourceRequirements</c>, after the API's defaulting has given a limit-only resource its request.</summary>
    internal static void ApplyDefaults(V1Pod pod, IReadOnlyList<V1LimitRangeItem> limits)
    {
        var defaultLimits = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
        var defaultRequests = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
        foreach (var item in limits.Where(l => l.Type == "Container"))
        {
            foreach (var (name, quantity) in item.DefaultProperty ?? new Dictionary<string, ResourceQuantity>())
            {
                defaultLimits.TryAdd(name, quantity);
            }

            foreach (var (name, quantity) in item.DefaultRequest ?? new Dictionary<string, ResourceQuantity>())
            {
                defaultRequests.TryAdd(name, quantity);
            }
        }

        if (defaultLimits.Count == 0 && defaultRequests.Count == 0)
        {
            return;
        }

        var notes = new List<string>();
        foreach (var container in pod.Spec.Containers ?? [])
        {
            Merge(container, "container", defaultLimits, defaultRequests, notes);
        }

        foreach (var container in pod.Spec.InitContainers ?? [])
        {
            Merge(container, "init container", defaultLimits, defaultRequests, notes);
        }

        if (notes.Count > 0)
        {
            pod.Metadata ??= new V1ObjectMeta();
            pod.Metadata.Annotations ??= new Dictionary<string, string>();
            pod.Metadata.Annotations[Annotation] = "LimitRanger plugin set: " + string.Join("; ", notes);
        }
    }

    /// <summary>kube's <c>PodValidateLimitFunc</c>: every container against Container limits, the pod's totals against Pod limits.</summary>
    internal static List<string> Violations(V1Pod pod, IList<V1LimitRangeItem> limits)
    {
        var errors = new List<string>();
        foreach (var item in limits)
        {
            if (item.Type == "Container")
            {
                foreach (var container in (pod.Spec.Containers ?? []).Concat(pod.Spec.InitContainers ?? []))
                {
                    Check(item, "Container", OrEmpty(container.Resources?.Requests), OrEmpty(container.Resources?.Limits), errors);
                }
            }
            else if (item.Type == "Pod")
            {
                var requests = PodUsage.Total(pod, c => c.Resources?.Requests);
                var podLimits = PodUsage.Total(pod, c => c.Resources?.Limits);
                Check(item, "Pod", Quantities(requests), Quantities(podLimits), errors);
            }
        }

        return errors;
    }

    private static void Merge(
        V1Container container, string what, Dictionary<string, ResourceQuantity> limits, Dictionary<string, ResourceQuantity> requests, List<string> notes)
    {
        var resources = container.Resources ??= new V1ResourceRequirements();
        resources.Limits ??= new Dictionary<string, ResourceQuantity>();
        resources.Requests ??= new Dictionary<string, ResourceQuantity>();

        var setLimits = limits.Where(p => resources.Limits.TryAdd(p.Key, p.Value)).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        var setRequests = requests.Where(p => resources.Requests.TryAdd(p.Key, p.Value)).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        if (setRequests.Count > 0)
        {
            notes.Add($"{string.Join(", ", setRequests)} request for {what} {container.Name}");
        }

        if (setLimits.Count > 0)
        {
            notes.Add($"{string.Join(", ", setLimits)} limit for {what} {container.Name}");
        }
    }

    private static void Check(
        V1LimitRangeItem item, string limitType, IDictionary<string, ResourceQuantity> requests, IDictionary<string, ResourceQuantity> limits, List<string> errors)
    {
        foreach (var (name, min) in Sorted(item.Min))
        {
            var hasRequest = requests.TryGetValue(name, out var request);
            var hasLimit = limits.TryGetValue(name, out var limit);
            if (!hasRequest)
            {
                errors.Add($"minimum {name} usage per {limitType} is {min}.  No request is specified");
            }
            else if (request!.ToDecimal() < min.ToDecimal())
            {
                errors.Add($"minimum {name} usage per {limitType} is {min}, but request is {request}");
            }
            else if (hasLimit && limit!.ToDecimal() < min.ToDecimal())
            {
                errors.Add($"minimum {name} usage per {limitType} is {min}, but limit is {limit}");
            }
        }

        foreach (var (name, max) in Sorted(item.Max))
        {
            var hasRequest = requests.TryGetValue(name, out var request);
            var hasLimit = limits.TryGetValue(name, out var limit);
            if (!hasLimit)
            {
                errors.Add($"maximum {name} usage per {limitType} is {max}.  No limit is specified");
            }
            else if (limit!.ToDecimal() > max.ToDecimal())
            {
                errors.Add($"maximum {name} usage per {limitType} is {max}, but limit is {limit}");
            }
            else if (hasRequest && request!.ToDecimal() > max.ToDecimal())
            {
                errors.Add($"maximum {name} usage per {limitType} is {max}, but request is {request}");
            }
        }

        foreach (var (name, ratio) in Sorted(item.MaxLimitRequestRatio))
        {
            var request = requests.TryGetValue(name, out var r) ? r.ToDecimal() : 0;
            var limit = limits.TryGetValue(name, out var l) ? l.ToDecimal() : 0;
            if (request == 0)
            {
                errors.Add($"{name} max limit to request ratio per {limitType} is {ratio}, but no request is specified or request is 0");
            }
            else if (limit == 0)
            {
                errors.Add($"{name} max limit to request ratio per {limitType} is {ratio}, but no limit is specified or limit is 0");
            }
            else if (limit / request > ratio.ToDecimal())
            {
                errors.Add($"{name} max limit to request ratio per {limitType} is {ratio}, but provided ratio is " +
                    (limit / request).ToString("F6", CultureInfo.InvariantCulture));
            }
        }
    }

    private static IEnumerable<KeyValuePair<string, ResourceQuantity>> Sorted(IDictionary<string, ResourceQuantity>? list) =>
        (list ?? new Dictionary<string, ResourceQuantity>()).OrderBy(p => p.Key, StringComparer.Ordinal);

    private static IDictionary<string, ResourceQuantity> OrEmpty(IDictionary<string, ResourceQuantity>? list) =>
        list ?? new Dictionary<string, ResourceQuantity>();

    private static Dictionary<string, ResourceQuantity> Quantities(Dictionary<string, decimal> amounts) =>
        amounts.ToDictionary(p => p.Key, p => ResourceAmounts.ToQuantity(p.Key, p.Value), StringComparer.Ordinal);

    /// <summary>Each stored version of a LimitRange is decoded once and kept with it (a cached version never changes). Read only.</summary>
    private static V1LimitRange Read(CachedObject cached) => DecodedObjects<V1LimitRange>.Of(cached);
}
