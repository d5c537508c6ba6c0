using k8s.Models;

namespace Gantry.Server.Registry.Quota;

/// <summary>
/// What a pod charges to quota (kube's <c>PodUsageFunc</c>): always one <c>count/pods</c>; while it is not terminal (nor
/// stuck past its deletion grace), one <c>pods</c> and its requests and limits as the scheduler sums them — containers
/// and sidecars together, any other init container's peak if more, plus the overhead — under both the bare and the
/// <c>requests.</c> names, and its limits under <c>limits.</c>.
/// </summary>
public static class PodUsage
{
    public const string CountName = "count/pods";

    private static readonly string[] Standard = ["cpu", "memory", "ephemeral-storage"];

    /// <summary>The resources that, when a quota holds them, every container must ask for (kube's <c>validationSet</c>).</summary>
    private static readonly HashSet<string> MustSpecify =
        new(["cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory"], StringComparer.Ordinal);

    /// <summary>Whether a quota on <paramref name="name"/> counts pods.</summary>
    public static bool Tracks(string name) =>
        name is "pods" or CountName or "cpu" or "memory" or "ephemeral-storage"
        || name.StartsWith("requests.", StringComparison.Ordinal)
        || name.StartsWith("limits.", StringComparison.Ordinal)
        || name.StartsWith("hugepages-", StringComparison.Ordinal);

    public static Dictionary<string, decimal> Of(V1Pod pod, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var usage = ResourceAmounts.Empty();
        usage[CountName] = 1;
        if (!IsCharged(pod, now))
        {
            return usage;
        }

        usage["pods"] = 1;
        var requests = Total(pod, c => c.Resources?.Requests);
        var limits = Total(pod, c => c.Resources?.Limits);
        foreach (var (name, amount) in ResourceAmounts.From(pod.Spec?.Overhead))
        {
            ResourceAmounts.Add(requests, name, amount);
            if (limits.GetValueOrDefault(name) != 0)
            {
                ResourceAmounts.Add(limits, name, amount);
            }
        }

        foreach (var (name, amount) in Compute(requests, limits))
        {
            usage[name] = amount;
        }

        return usage;
    }

    /// <summary>
    /// kube's pod evaluator <c>Constraints</c>: when a quota holds cpu or memory, every container (init containers too)
    /// must ask for it explicitly. Null when they all do, else kube's <c>must specify limits.cpu for: a,b; memory for: a</c>.
    /// </summary>
    public static string? MissingRequirements(V1Pod pod, IEnumerable<string> held)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var required = held.Where(MustSpecify.Contains).ToHashSet(StringComparer.Ordinal);
        if (required.Count == 0)
        {
            return null;
        }

        var missing = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var container in (pod.Spec?.Containers ?? []).Concat(pod.Spec?.InitContainers ?? []))
        {
            var asked = Compute(ResourceAmounts.From(container.Resources?.Requests), ResourceAmounts.From(container.Resources?.Limits)).Keys;
            foreach (var name in required.Except(asked))
            {
                if (!missing.TryGetValue(name, out var names))
                {
                    missing[name] = names = new SortedSet<string>(StringComparer.Ordinal);
                }

                names.Add(container.Name);
            }
        }

        return missing.Count == 0
            ? null
            : "must specify " + string.Join("; ", missing.Select(m => $"{m.Key} for: {string.Join(",", m.Value)}"));
    }

    /// <summary>kube's <c>IsPodBestEffort</c>: no container asks for or limits cpu or memory.</summary>
    public static bool IsBestEffort(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return (pod.Spec?.Containers ?? []).Concat(pod.Spec?.InitContainers ?? []).All(c =>
            !AsksFor(c.Resources?.Requests) && !AsksFor(c.Resources?.Limits));

        static bool AsksFor(IDictionary<string, ResourceQuantity>? list) =>
            list is not null && list.Any(p => p.Key is "cpu" or "memory" && p.Value.ToDecimal() != 0);
    }

    /// <summary>kube's <c>QuotaV1Pod</c>: terminal pods, and pods whose deletion grace has run out, are not charged.</summary>
    internal static bool IsCharged(V1Pod pod, DateTimeOffset now)
    {
        if (pod.Status?.Phase is "Succeeded" or "Failed")
        {
            return false;
        }

        return pod.Metadata?.DeletionTimestamp is not { } deletion
            || pod.Metadata.DeletionGracePeriodSeconds is not { } grace
            || now <= new DateTimeOffset(DateTime.SpecifyKind(deletion, DateTimeKind.Utc)).AddSeconds(grace);
    }

    /// <summary>kube's <c>podComputeUsageHelper</c>: the quota names of a pod's (or a container's) requests and limits.</summary>
    private static Dictionary<string, decimal> Compute(Dictionary<string, decimal> requests, Dictionary<string, decimal> limits)
    {
        var usage = ResourceAmounts.Empty();
        foreach (var name in Standard)
        {
            if (requests.TryGetValue(name, out var request))
            {
                usage[name] = request;
                usage["requests." + name] = request;
            }

            if (limits.TryGetValue(name, out var limit))
            {
                usage["limits." + name] = limit;
            }
        }

        foreach (var (name, request) in requests)
        {
            if (name.StartsWith("hugepages-", StringComparison.Ordinal))
            {
                usage[name] = request;
                usage["requests." + name] = request;
            }
            else if (name.Contains('/', StringComparison.Ordinal) && !name.StartsWith("kubernetes.io/", StringComparison.Ordinal))
            {
                // Extended resources are only quota'd as requests.NAME.
                usage["requests." + name] = request;
            }
        }

        return usage;
    }

    /// <summary>
    /// A pod's total of one list (requests or limits), without its overhead, as kube's <c>PodRequests</c> and
    /// <c>PodLimits</c>: containers and sidecars (init containers that restart always) run together; any other init
    /// container runs alone with the sidecars started before it; the pod needs the larger of the two.
    /// </summary>
    internal static Dictionary<string, decimal> Total(V1Pod pod, Func<V1Container, IDictionary<string, ResourceQuantity>?> list)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var total = ResourceAmounts.Empty();
        foreach (var container in pod.Spec?.Containers ?? [])
        {
            total = ResourceAmounts.Sum(total, ResourceAmounts.From(list(container)));
        }

        var sidecars = ResourceAmounts.Empty();
        var peak = ResourceAmounts.Empty();
        foreach (var init in pod.Spec?.InitContainers ?? [])
        {
            var own = ResourceAmounts.From(list(init));
            if (init.RestartPolicy == "Always")
            {
                sidecars = ResourceAmounts.Sum(sidecars, own);
                continue;
            }

            foreach (var (name, amount) in ResourceAmounts.Sum(own, sidecars))
            {
                peak[name] = Math.Max(peak.GetValueOrDefault(name), amount);
            }
        }

        total = ResourceAmounts.Sum(total, sidecars);
        foreach (var (name, amount) in peak)
        {
            total[name] = Math.Max(total.GetValueOrDefault(name), amount);
        }

        return total;
    }
}
