using k8s.Models;

namespace Gantry.Server.Controllers.Autoscaling;

/// <summary>
/// kube's <c>ReplicaCalculator</c> for resource metrics (pkg/controller/podautoscaler/replica_calculator.go), as pure
/// functions of the target's pods, their metrics and the time: how many replicas would bring the pods' average
/// utilization (percent of request) or average usage to the target. Pods being deleted or failed are ignored; pending
/// pods, and for cpu pods still initializing, are set aside as unready; pods without a sample are missing. When the
/// set-aside pods could change the answer, the ratio is recomputed assuming they use nothing on a scale-up and their
/// request (or the target) on a scale-down, and a recomputation that would reverse the direction keeps the count.
/// </summary>
public static class ReplicaCalculator
{
    /// <summary>
    /// kube's <c>GetResourceReplicas</c>: the replicas for a target utilization in percent of the pods' requests of
    /// <paramref name="resource"/>, of all their containers or of <paramref name="container"/> only (a
    /// <c>ContainerResource</c> metric). <paramref name="metrics"/> holds the selected pods' samples, summed over the
    /// same containers.
    /// </summary>
    public static ReplicaCalculation ResourceReplicas(
        int currentReplicas,
        int targetUtilization,
        string resource,
        string? container,
        IReadOnlyList<V1Pod> pods,
        IReadOnlyDictionary<string, PodMetric> metrics,
        DateTimeOffset now,
        Tolerances? tolerances = null,
        ReplicaCalculatorOptions? options = null)
    {
        options ??= ReplicaCalculatorOptions.Default;
        var within = tolerances ?? Tolerances.Uniform(options.Tolerance);
        var prepared = Prepare(resource, pods, metrics, now, options);
        if (prepared is not ({ } usable, { } groups, var timestamp, null))
        {
            return ReplicaCalculation.Failed(prepared.Error!);
        }

        var (requests, requestError) = PodRequests.Calculate(pods, container, resource, options.PodLevelResources);
        if (requests is null)
        {
            return ReplicaCalculation.Failed(requestError!);
        }

        var (usageRatio, utilization, rawAverage, ratioError) = UtilizationRatio(usable, requests, targetUtilization);
        if (ratioError is not null)
        {
            return ReplicaCalculation.Failed(ratioError);
        }

        var result = new ReplicaCalculation(currentReplicas, utilization, rawAverage, timestamp);
        var scaleUpWithUnready = groups.Unready.Count > 0 && usageRatio > 1.0;
        if (!scaleUpWithUnready && groups.Missing.Count == 0)
        {
            return within.IsWithin(usageRatio) ? result : result with { Replicas = Ceiling(usageRatio * groups.ReadyCount) };
        }

        if (groups.Missing.Count > 0)
        {
            // On a scale-down a missing pod is taken to use all its request, or the target when that is higher;
            // on a scale-up, nothing.
            var fallbackUtilization = Math.Max(100, targetUtilization);
            foreach (var name in groups.Missing)
            {
                if (usageRatio < 1.0)
                {
                    usable[name] = new PodMetric(default, default, requests[name] * fallbackUtilization / 100);
                }
                else if (usageRatio > 1.0)
                {
                    usable[name] = new PodMetric(default, default, 0);
                }
            }
        }

        if (scaleUpWithUnready)
        {
            foreach (var name in groups.Unready)
            {
                usable[name] = new PodMetric(default, default, 0);
            }
        }

        var (newUsageRatio, _, _, newRatioError) = UtilizationRatio(usable, requests, targetUtilization);
        if (newRatioError is not null)
        {
            return ReplicaCalculation.Failed(newRatioError);
        }

        return Rebalanced(currentReplicas, usageRatio, newUsageRatio, usable.Count, within) is { } replicas ? result with { Replicas = replicas } : result;
    }

    /// <summary>
    /// kube's <c>GetRawResourceReplicas</c> (through <c>calcPlainMetricReplicas</c>): the replicas for a target
    /// average usage of <paramref name="resource"/>, as a milli-value per pod. Requests play no part.
    /// </summary>
    public static ReplicaCalculation RawResourceReplicas(
        int currentReplicas,
        long targetAverageMilliValue,
        string resource,
        string? container,
        IReadOnlyList<V1Pod> pods,
        IReadOnlyDictionary<string, PodMetric> metrics,
        DateTimeOffset now,
        Tolerances? tolerances = null,
        ReplicaCalculatorOptions? options = null)
    {
        _ = container; // The metrics are already those of the container, as kube's metrics client reads them.
        options ??= ReplicaCalculatorOptions.Default;
        var within = tolerances ?? Tolerances.Uniform(options.Tolerance);
        var prepared = Prepare(resource, pods, metrics, now, options);
        if (prepared is not ({ } usable, { } groups, var timestamp, null))
        {
            return ReplicaCalculation.Failed(prepared.Error!);
        }

        var (usageRatio, usage) = UsageRatio(usable, targetAverageMilliValue);
        var result = new ReplicaCalculation(currentReplicas, null, usage, timestamp);
        var scaleUpWithUnready = groups.Unready.Count > 0 && usageRatio > 1.0;
        if (!scaleUpWithUnready && groups.Missing.Count == 0)
        {
            return within.IsWithin(usageRatio) ? result : result with { Replicas = Ceiling(usageRatio * groups.ReadyCount) };
        }

        if (groups.Missing.Count > 0)
        {
            // On a scale-down a missing pod is taken to use exactly the target; on a scale-up, nothing.
            foreach (var name in groups.Missing)
            {
                if (usageRatio < 1.0)
                {
                    usable[name] = new PodMetric(default, default, targetAverageMilliValue);
                }
                else if (usageRatio > 1.0)
                {
                    usable[name] = new PodMetric(default, default, 0);
                }
            }
        }

        if (scaleUpWithUnready)
        {
            foreach (var name in groups.Unready)
            {
                usable[name] = new PodMetric(default, default, 0);
            }
        }

        var (newUsageRatio, _) = UsageRatio(usable, targetAverageMilliValue);
        return Rebalanced(currentReplicas, usageRatio, newUsageRatio, usable.Count, within) is { } replicas ? result with { Replicas = replicas } : result;
    }

    /// <summary>
    /// kube's <c>GetResourceUtilizationRatio</c>: the ratio of the utilization of the pods with both a sample and a
    /// request to the target, that utilization in percent, and their average usage.
    /// </summary>
    public static (double Ratio, int Utilization, long RawAverage, string? Error) UtilizationRatio(
        IReadOnlyDictionary<string, PodMetric> metrics, IReadOnlyDictionary<string, long> requests, int targetUtilization)
    {
        Int128 metricsTotal = 0;
        Int128 requestsTotal = 0;
        var entries = 0;
        foreach (var (name, metric) in metrics)
        {
            // Requests are checked elsewhere: a sample without a request is an extraneous one.
            if (!requests.TryGetValue(name, out var request))
            {
                continue;
            }

            metricsTotal += metric.Value;
            requestsTotal += request;
            entries++;
        }

        // When the requests and the samples are disjoint sets, the requests total is zero.
        if (requestsTotal == 0)
        {
            return (0, 0, 0, "no metrics returned matched known pods");
        }

        var utilization = (int)Int128.Clamp(metricsTotal * 100 / requestsTotal, int.MinValue, int.MaxValue);
        return ((double)utilization / targetUtilization, utilization, (long)(metricsTotal / entries), null);
    }

    /// <summary>kube's <c>GetMetricUsageRatio</c>: the ratio of the pods' average usage to the target, and that average.</summary>
    public static (double Ratio, long Usage) UsageRatio(IReadOnlyDictionary<string, PodMetric> metrics, long targetUsage)
    {
        Int128 total = 0;
        foreach (var metric in metrics.Values)
        {
            total += metric.Value;
        }

        var usage = (long)(total / metrics.Count);
        return ((double)usage / targetUsage, usage);
    }

    /// <summary>
    /// kube's <c>groupPods</c>: the count of pods whose samples are used as they are, and the names of the pods set
    /// aside as unready, missing a sample, or ignored (being deleted or failed).
    /// </summary>
    internal static PodGroups GroupPods(
        IReadOnlyList<V1Pod> pods, IReadOnlyDictionary<string, PodMetric> metrics, string resource, DateTimeOffset now, ReplicaCalculatorOptions options)
    {
        var groups = new PodGroups();
        foreach (var pod in pods)
        {
            var name = PodRequests.NameOf(pod);
            var phase = pod.Status?.Phase;
            if (pod.Metadata?.DeletionTimestamp is not null || phase == "Failed")
            {
                groups.Ignored.Add(name);
                continue;
            }

            if (phase == "Pending")
            {
                groups.Unready.Add(name);
                continue;
            }

            if (!metrics.TryGetValue(name, out var metric))
            {
                groups.Missing.Add(name);
                continue;
            }

            if (resource == "cpu" && CpuSampleUnready(pod, metric, now, options))
            {
                groups.Unready.Add(name);
                continue;
            }

            groups.ReadyCount++;
        }

        return groups;
    }

    /// <summary>
    /// Whether a pod's cpu sample is to be set aside: a pod with no Ready condition or start time; within the cpu
    /// initialization period, a pod not ready or whose sample's window began before it last changed readiness; after
    /// it, a pod not ready that has never been ready (it turned not ready within the initial readiness delay).
    /// </summary>
    private static bool CpuSampleUnready(V1Pod pod, PodMetric metric, DateTimeOffset now, ReplicaCalculatorOptions options)
    {
        var ready = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        if (ready is null || pod.Status?.StartTime is not { } startTime)
        {
            return true;
        }

        var start = Utc(startTime);
        var transition = ready.LastTransitionTime is { } t ? Utc(t) : DateTimeOffset.MinValue;
        return start + options.CpuInitializationPeriod > now
            ? ready.Status == "False" || metric.Timestamp < transition + metric.Window
            : ready.Status == "False" && start + options.DelayOfInitialReadinessStatus > transition;
    }

    /// <summary>
    /// The steps both calculations share: the metrics API must have answered, the selector must select pods, and some
    /// pod must have a usable sample. Returns a copy of the samples without the ignored and unready pods'.
    /// </summary>
    private static (Dictionary<string, PodMetric>? Usable, PodGroups? Groups, DateTimeOffset Timestamp, string? Error) Prepare(
        string resource, IReadOnlyList<V1Pod> pods, IReadOnlyDictionary<string, PodMetric> metrics, DateTimeOffset now, ReplicaCalculatorOptions options)
    {
        if (metrics.Count == 0)
        {
            return (null, null, default, $"unable to get metrics for resource {resource}: no metrics returned from resource metrics API");
        }

        if (pods.Count == 0)
        {
            return (null, null, default, "no pods returned by selector while calculating replica count");
        }

        // The oldest sample's time stands for the set, as the metrics client's interface describes it.
        var timestamp = metrics.Values.Min(m => m.Timestamp);
        var groups = GroupPods(pods, metrics, resource, now, options);
        var usable = new Dictionary<string, PodMetric>(metrics, StringComparer.Ordinal);
        foreach (var name in groups.Ignored.Concat(groups.Unready))
        {
            usable.Remove(name);
        }

        return usable.Count == 0
            ? (null, null, default, "did not receive metrics for targeted pods (pods might be unready)")
            : (usable, groups, timestamp, null);
    }

    /// <summary>
    /// The count once the set-aside pods are accounted for, or null to keep the current one: when the new ratio is
    /// within tolerance, would reverse the direction of the scale, or its count would move the other way.
    /// </summary>
    private static int? Rebalanced(int currentReplicas, double usageRatio, double newUsageRatio, int podCount, Tolerances within)
    {
        if (within.IsWithin(newUsageRatio) || (usageRatio < 1.0 && newUsageRatio > 1.0) || (usageRatio > 1.0 && newUsageRatio < 1.0))
        {
            return null;
        }

        var newReplicas = Ceiling(newUsageRatio * podCount);
        return (newUsageRatio < 1.0 && newReplicas > currentReplicas) || (newUsageRatio > 1.0 && newReplicas < currentReplicas) ? null : newReplicas;
    }

    /// <summary>A replica count rounded up, saturating at the largest int32.</summary>
    private static int Ceiling(double replicas) => replicas >= int.MaxValue ? int.MaxValue : (int)Math.Ceiling(replicas);

    private static DateTimeOffset Utc(DateTime time) =>
        new(time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time.ToUniversalTime());

    /// <summary>kube's grouping of the selected pods.</summary>
    internal sealed class PodGroups
    {
        public int ReadyCount { get; set; }

        public HashSet<string> Unready { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Missing { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Ignored { get; } = new(StringComparer.Ordinal);
    }
}
