using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Core.Selectors;
using Gantry.Server.Api;
using Gantry.Server.Api.Metrics;
using Gantry.Server.Informers;
using Gantry.Server.Registry.CustomResources;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Controllers.Autoscaling;

/// <summary>
/// Kubernetes' horizontal pod autoscaler controller: every fifteen seconds, and when an autoscaler changes, it reads
/// the scale of its target, asks the resource metrics API (the agents' usage, as <c>kubectl top</c> sees it) for the
/// target's pods, computes the replicas each metric wants, keeps the largest, bounds it by the autoscaler's limits and
/// behavior, and rescales the target. Status, conditions and events are kube's, word for word. Only resource metrics
/// are served (<c>Resource</c> and <c>ContainerResource</c>); a Pods, Object or External metric fails as it does in
/// a kube cluster without a custom or external metrics API.
/// </summary>
public sealed class HorizontalPodAutoscalerController : BackgroundService
{
    private const int Workers = 2;

    /// <summary>The source of its events, as kube names the controller.</summary>
    private const string Component = "horizontal-pod-autoscaler";

    /// <summary>kube's <c>--horizontal-pod-autoscaler-sync-period</c>.</summary>
    internal static readonly TimeSpan SyncPeriod = TimeSpan.FromSeconds(15);

    private readonly SharedInformers _informers;
    private readonly Informer<V2HorizontalPodAutoscaler> _autoscalers;
    private readonly Informer<V1Pod> _pods;
    private readonly InProcessClient _client;
    private readonly EventRecorder _events;
    private readonly ResourceMetricsScraper _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<HorizontalPodAutoscalerController> _logger;
    private readonly WorkQueue<string> _queue;
    private readonly ReplicaRecommendations _recommendations = new();
    private readonly CustomResourceTypes _customTypes;

    public HorizontalPodAutoscalerController(
        SharedInformers informers,
        InProcessClient client,
        EventRecorder events,
        ResourceMetricsScraper metrics,
        CustomResourceTypes customTypes,
        TimeProvider time,
        ILogger<HorizontalPodAutoscalerController> logger)
    {
        _customTypes = customTypes;
        _informers = informers;
        _autoscalers = informers.For<V2HorizontalPodAutoscaler>();
        _pods = informers.For<V1Pod>();
        _client = client;
        _events = events;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _queue = new WorkQueue<string>(time);
        _autoscalers.OnChange((old, current) =>
        {
            if (current is null)
            {
                _recommendations.Forget(Key(old!));
            }
            else if (old is null || old.Metadata.Generation != current.Metadata.Generation)
            {
                // A new autoscaler or a changed spec is looked at now; its own status writes wait for the period.
                _queue.Add(Key(current));
            }
        });
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _queue.RunWhenSyncedAsync(_informers, Workers, async (key, ct) =>
        {
            if (await SyncAsync(key, ct).ConfigureAwait(false))
            {
                _queue.AddAfter(key, SyncPeriod);
            }
        }, (key, ex) =>
        {
            _logger.LogWarning(ex, "Syncing horizontal pod autoscaler {Key} failed", key);
            _queue.AddAfter(key, SyncPeriod);
        }, stoppingToken);

    /// <summary>kube's <c>reconcileAutoscaler</c>; false when the autoscaler is gone.</summary>
    internal async Task<bool> SyncAsync(string key, CancellationToken ct)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (_autoscalers.Get(key[..slash], key[(slash + 1)..]) is not { } cached)
        {
            _recommendations.Forget(key);
            return false;
        }

        var hpa = KubernetesJson.Deserialize<V2HorizontalPodAutoscaler>(KubernetesJson.Serialize(cached));
        hpa.Status ??= new V2HorizontalPodAutoscalerStatus();
        var original = KubernetesJson.Serialize(hpa.Status);
        var now = _time.GetUtcNow();
        var reference = $"{hpa.Spec.ScaleTargetRef.Kind}/{hpa.Spec.ScaleTargetRef.Name}";
        if (TargetOf(hpa) is not ({ } type, { } target))
        {
            var error = ScaleError(hpa);
            _events.Record(hpa, "Warning", "FailedGetScale", error, Component);
            SetCondition(hpa, "AbleToScale", "False", "FailedGetScale", $"the HPA controller was unable to get the target's current scale: {error}", now);
            await WriteStatusAsync(hpa, original, ct).ConfigureAwait(false);
            _logger.LogDebug("Failed to query scale subresource for {Reference}: {Error}", reference, error);
            return true;
        }

        var scaleType = ScaleTypeOf(hpa.Spec.ScaleTargetRef) ?? type;
        JsonObject scale;
        try
        {
            scale = ScaleSubresource.ToScale(await InScaleVersionAsync(scaleType, target, ct).ConfigureAwait(false), scaleType);
        }
        catch (ApiException ex)
        {
            // The target's conversion webhook failed: its scale cannot be read, as kube's scale client would fail.
            _events.Record(hpa, "Warning", "FailedGetScale", ex.Message, Component);
            SetCondition(hpa, "AbleToScale", "False", "FailedGetScale", $"the HPA controller was unable to get the target's current scale: {ex.Message}", now);
            await WriteStatusAsync(hpa, original, ct).ConfigureAwait(false);
            return true;
        }

        SetCondition(hpa, "AbleToScale", "True", "SucceededGetScale", "the HPA controller was able to get the target's current scale", now);
        var currentReplicas = scale["spec"]!["replicas"]!.GetValue<int>();
        _recommendations.RecordInitial(key, currentReplicas, now);
        var minReplicas = hpa.Spec.MinReplicas ?? 1;
        var desiredReplicas = 0;
        var rescaleReason = "";
        var rescale = true;
        IReadOnlyList<V2MetricStatus>? metricStatuses = null;
        if (currentReplicas == 0 && minReplicas != 0)
        {
            rescale = false;
            SetCondition(hpa, "ScalingActive", "False", "ScalingDisabled", "scaling is disabled since the replica count of the target is zero", now);
        }
        else if (currentReplicas > hpa.Spec.MaxReplicas)
        {
            rescaleReason = "Current number of replicas above Spec.MaxReplicas";
            desiredReplicas = hpa.Spec.MaxReplicas;
        }
        else if (currentReplicas < minReplicas)
        {
            rescaleReason = "Current number of replicas below Spec.MinReplicas";
            desiredReplicas = minReplicas;
        }
        else
        {
            var computed = await ComputeReplicasForMetricsAsync(hpa, scale, now, ct).ConfigureAwait(false);
            metricStatuses = computed.Statuses;
            if (computed.Replicas == -1)
            {
                SetStatus(hpa, currentReplicas, hpa.Status.DesiredReplicas, metricStatuses, rescaled: false, now);
                _events.Record(hpa, "Warning", "FailedComputeMetricsReplicas", computed.Error!, Component);
                await WriteStatusAsync(hpa, original, ct).ConfigureAwait(false);
                return true;
            }

            desiredReplicas = computed.Replicas;
            if (desiredReplicas > currentReplicas)
            {
                rescaleReason = $"{computed.Metric} above target";
            }
            else if (desiredReplicas < currentReplicas)
            {
                rescaleReason = "All metrics below target";
            }

            var limited = hpa.Spec.Behavior is null
                ? _recommendations.Normalize(key, currentReplicas, desiredReplicas, minReplicas, hpa.Spec.MaxReplicas, now)
                : _recommendations.NormalizeWithBehaviors(key, hpa.Spec.Behavior, currentReplicas, desiredReplicas, minReplicas, hpa.Spec.MaxReplicas, now);
            desiredReplicas = limited.Replicas;
            SetCondition(hpa, "AbleToScale", "True", limited.StabilizationReason, limited.StabilizationMessage, now);
            SetCondition(hpa, "ScalingLimited", limited.LimitedStatus, limited.Reason, limited.Message, now);
            rescale = desiredReplicas != currentReplicas;
        }

        if (rescale)
        {
            try
            {
                await _client.MutateJsonAsync(type, hpa.Namespace(), hpa.Spec.ScaleTargetRef.Name, (obj, token) => WithReplicasAsync(scaleType, obj, desiredReplicas, token), ct)
                    .ConfigureAwait(false);
            }
            catch (ApiException ex)
            {
                _events.Record(hpa, "Warning", "FailedRescale", $"New size: {desiredReplicas}; reason: {rescaleReason}; error: {ex.Message}", Component);
                SetCondition(hpa, "AbleToScale", "False", "FailedUpdateScale", $"the HPA controller was unable to update the target scale: {ex.Message}", now);
                SetStatus(hpa, currentReplicas, hpa.Status.DesiredReplicas, metricStatuses, rescaled: false, now);
                await WriteStatusAsync(hpa, original, ct).ConfigureAwait(false);
                return true;
            }

            SetCondition(hpa, "AbleToScale", "True", "SucceededRescale", $"the HPA controller was able to update the target scale to {desiredReplicas}", now);
            _events.Record(hpa, "Normal", "SuccessfulRescale", $"New size: {desiredReplicas}; reason: {rescaleReason}", Component);
            _recommendations.RecordScaleEvent(key, hpa.Spec.Behavior, currentReplicas, desiredReplicas, now);
        }
        else
        {
            desiredReplicas = currentReplicas;
        }

        SetStatus(hpa, currentReplicas, desiredReplicas, metricStatuses, rescale, now);
        await WriteStatusAsync(hpa, original, ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>kube's <c>computeReplicasForMetrics</c>: the largest proposal of the metrics that could be read.</summary>
    private async Task<MetricsProposal> ComputeReplicasForMetricsAsync(V2HorizontalPodAutoscaler hpa, JsonObject scale, DateTimeOffset now, CancellationToken ct)
    {
        var selectorText = scale["status"]?["selector"]?.GetValue<string>() ?? "";
        if (selectorText.Length == 0)
        {
            _events.Record(hpa, "Warning", "SelectorRequired", "selector is required", Component);
            SetCondition(hpa, "ScalingActive", "False", "InvalidSelector", "the HPA target's scale is missing a selector", now);
            return new MetricsProposal(-1, "", [], "selector is required");
        }

        var selector = LabelSelector.Parse(selectorText);
        var pods = _pods.ListInNamespace(hpa.Namespace()).Where(p => selector.Matches(p.Metadata)).ToList();
        var specReplicas = scale["spec"]!["replicas"]!.GetValue<int>();
        var specs = hpa.Spec.Metrics ?? [];
        var usage = await PodUsageAsync(pods, ct).ConfigureAwait(false);
        var statuses = new List<V2MetricStatus>();
        var replicas = 0;
        var metric = "";
        var invalid = 0;
        string? firstError = null;
        (string Reason, string Message)? firstCondition = null;
        foreach (var spec in specs)
        {
            var proposal = ComputeReplicasForMetric(spec, specReplicas, pods, usage, Tolerances.For(hpa.Spec.Behavior), now);
            if (proposal.Error is { } error)
            {
                if (invalid == 0)
                {
                    firstError = error;
                    firstCondition = (proposal.FailureReason!, $"the HPA was unable to compute the replica count: {error}");
                }

                _events.Record(hpa, "Warning", proposal.FailureReason!, error, Component);
                invalid++;
                continue;
            }

            statuses.Add(proposal.Status!);
            if (replicas == 0 || proposal.Replicas > replicas)
            {
                replicas = proposal.Replicas;
                metric = proposal.Metric;
            }
        }

        var invalidError = firstError is null ? null : $"invalid metrics ({invalid} invalid out of {specs.Count}), first error is: {firstError}";
        if (invalid >= specs.Count || (invalid > 0 && replicas < specReplicas))
        {
            SetCondition(hpa, "ScalingActive", "False", firstCondition!.Value.Reason, firstCondition.Value.Message, now);
            return new MetricsProposal(-1, "", statuses, invalidError);
        }

        SetCondition(hpa, "ScalingActive", "True", "ValidMetricFound", $"the HPA was able to successfully calculate a replica count from {metric}", now);
        return new MetricsProposal(replicas, metric, statuses, invalidError);
    }

    /// <summary>kube's <c>computeReplicasForMetric</c> for the metric types a resource metrics API can answer.</summary>
    private static MetricProposal ComputeReplicasForMetric(
        V2MetricSpec spec, int specReplicas, IReadOnlyList<V1Pod> pods, IReadOnlyList<PodUsage> usage, Tolerances tolerances, DateTimeOffset now)
    {
        switch (spec.Type)
        {
            case "Resource" when spec.Resource is { } resource:
            {
                var proposal = ResourceProposal(specReplicas, resource.Target, resource.Name, null, pods, usage, tolerances, now);
                return proposal.Error is { } error
                    ? MetricProposal.Failed("FailedGetResourceMetric", $"failed to get {resource.Name} resource metric value: {error}")
                    : proposal with
                    {
                        Status = new V2MetricStatus
                        {
                            Type = "Resource",
                            Resource = new V2ResourceMetricStatus { Name = resource.Name, Current = proposal.Current },
                        },
                    };
            }

            case "ContainerResource" when spec.ContainerResource is { } resource:
            {
                var proposal = ResourceProposal(specReplicas, resource.Target, resource.Name, resource.Container, pods, usage, tolerances, now);
                return proposal.Error is { } error
                    ? MetricProposal.Failed("FailedGetContainerResourceMetric", $"failed to get {resource.Container} container metric value: {error}")
                    : proposal with
                    {
                        Status = new V2MetricStatus
                        {
                            Type = "ContainerResource",
                            ContainerResource = new V2ContainerResourceMetricStatus { Name = resource.Name, Container = resource.Container, Current = proposal.Current },
                        },
                    };
            }

            case "Pods":
                return MetricProposal.Failed(
                    "FailedGetPodsMetric",
                    $"failed to get pods metric value: unable to get metric {spec.Pods?.Metric?.Name}: no custom metrics API (custom.metrics.k8s.io) registered");
            case "Object":
                return MetricProposal.Failed(
                    "FailedGetObjectMetric",
                    $"failed to get object metric value: unable to get metric {spec.ObjectProperty?.Metric?.Name}: no custom metrics API (custom.metrics.k8s.io) registered");
            case "External":
                return MetricProposal.Failed(
                    "FailedGetExternalMetric",
                    $"failed to get external metric value: unable to get external metric {spec.External?.Metric?.Name}: no external metrics API (external.metrics.k8s.io) registered");
            default:
                return MetricProposal.Failed("InvalidMetricSourceType", $"unknown metric source type \"{spec.Type}\"");
        }
    }

    /// <summary>kube's <c>computeStatusForResourceMetricGeneric</c>.</summary>
    private static MetricProposal ResourceProposal(
        int specReplicas,
        V2MetricTarget target,
        string resource,
        string? container,
        IReadOnlyList<V1Pod> pods,
        IReadOnlyList<PodUsage> usage,
        Tolerances tolerances,
        DateTimeOffset now)
    {
        if (MetricsFor(usage, resource, container) is not { } metrics)
        {
            var missing = usage.First(u => u.Containers.All(c => c.Name != container));
            var what = target.AverageValue is null ? "utilization" : "usage";
            return MetricProposal.Failed(
                "",
                $"failed to get {resource} {what}: unable to get metrics for resource {resource}: failed to get container metrics: "
                + $"container {container} not present in metrics for pod {missing.Namespace}/{missing.Name}");
        }

        if (target.AverageValue is { } averageValue)
        {
            var raw = ReplicaCalculator.RawResourceReplicas(specReplicas, MilliValue(averageValue), resource, container, pods, metrics, now, tolerances);
            return raw.Error is { } error
                ? MetricProposal.Failed("", $"failed to get {resource} usage: {error}")
                : new MetricProposal(raw.Replicas, $"{resource} resource", new V2MetricValueStatus { AverageValue = MilliQuantity(raw.RawAverageMilliValue) });
        }

        if (target.AverageUtilization is not { } utilization)
        {
            return MetricProposal.Failed("", "invalid resource metric source: neither an average utilization target nor an average value (usage) target was set");
        }

        var result = ReplicaCalculator.ResourceReplicas(specReplicas, utilization, resource, container, pods, metrics, now, tolerances);
        if (result.Error is { } failure)
        {
            return MetricProposal.Failed("", $"failed to get {resource} utilization: {failure}");
        }

        var name = container is null
            ? $"{resource} resource utilization (percentage of request)"
            : $"{resource} container resource utilization (percentage of request)";
        return new MetricProposal(
            result.Replicas,
            name,
            new V2MetricValueStatus { AverageUtilization = result.Utilization, AverageValue = MilliQuantity(result.RawAverageMilliValue) });
    }

    /// <summary>The usage of the pods, as metrics-server would answer for them.</summary>
    private async Task<IReadOnlyList<PodUsage>> PodUsageAsync(IReadOnlyList<V1Pod> pods, CancellationToken ct)
    {
        var json = pods.Select(p => JsonNode.Parse(KubernetesJson.Serialize(p))!).ToList();
        var summaries = await _metrics.ScrapeAsync(json.Select(ResourceMetricsScraper.NodeNameOf).OfType<string>(), ct).ConfigureAwait(false);
        return json.Select(pod => ResourceMetricsScraper.PodStatsOf(pod, summaries) is { } stats ? PodUsage.From(stats) : null)
            .OfType<PodUsage>()
            .ToList();
    }

    /// <summary>
    /// Each pod's usage of one resource, as kube's metrics client reads PodMetrics: summed over its containers, a pod
    /// missing the resource in any of them left out; or one container's, and null (kube's error) when a pod does not
    /// report that container at all.
    /// </summary>
    private static Dictionary<string, PodMetric>? MetricsFor(IReadOnlyList<PodUsage> usage, string resource, string? container)
    {
        var metrics = new Dictionary<string, PodMetric>(StringComparer.Ordinal);
        foreach (var pod in usage)
        {
            var values = container is null
                ? pod.Containers.Select(c => c.Values).ToList()
                : pod.Containers.Where(c => c.Name == container).Select(c => c.Values).Take(1).ToList();
            if (container is not null && values.Count == 0)
            {
                return null;
            }

            if (values.Count > 0 && values.All(v => v.ContainsKey(resource)))
            {
                metrics[pod.Name] = new PodMetric(pod.Timestamp, pod.Window, values.Sum(v => v[resource]));
            }
        }

        return metrics;
    }

    /// <summary>kube's <c>setStatus</c>.</summary>
    private static void SetStatus(
        V2HorizontalPodAutoscaler hpa, int currentReplicas, int desiredReplicas, IReadOnlyList<V2MetricStatus>? metrics, bool rescaled, DateTimeOffset now)
    {
        hpa.Status.CurrentReplicas = currentReplicas;
        hpa.Status.DesiredReplicas = desiredReplicas;
        hpa.Status.CurrentMetrics = metrics is { Count: > 0 } ? metrics.ToList() : null;
        if (rescaled)
        {
            hpa.Status.LastScaleTime = now.UtcDateTime;
        }
    }

    /// <summary>kube's <c>setCondition</c>: a condition's transition time moves only when its status does.</summary>
    private static void SetCondition(V2HorizontalPodAutoscaler hpa, string type, string status, string reason, string message, DateTimeOffset now)
    {
        var conditions = hpa.Status.Conditions ??= [];
        var existing = conditions.FirstOrDefault(c => c.Type == type);
        if (existing is null)
        {
            existing = new V2HorizontalPodAutoscalerCondition { Type = type };
            conditions.Add(existing);
        }

        if (existing.Status != status)
        {
            existing.LastTransitionTime = now.UtcDateTime;
        }

        existing.Status = status;
        existing.Reason = reason;
        existing.Message = message;
    }

    /// <summary>kube's <c>updateStatusIfNeeded</c>: nothing is written when the status did not change.</summary>
    private async Task WriteStatusAsync(V2HorizontalPodAutoscaler hpa, string original, CancellationToken ct)
    {
        if (KubernetesJson.Serialize(hpa.Status) != original)
        {
            await _client.UpdateAsync(hpa, ct, "status").ConfigureAwait(false);
        }
    }

    /// <summary>The stored type and object the autoscaler scales, when both exist and the type has a scale.</summary>
    private (ResourceType? Type, JsonObject? Target) TargetOf(V2HorizontalPodAutoscaler hpa)
    {
        var reference = hpa.Spec.ScaleTargetRef;
        if (TargetType(reference) is not { } type)
        {
            return (null, null);
        }

        return _client.Registry.Get(type, hpa.Namespace(), reference.Name) is { } stored
            ? (type, JsonNode.Parse(stored.Json)!.AsObject())
            : (type, null);
    }

    /// <summary>The version of a custom scale target that the reference names, whose scale subresource says where its replicas are.</summary>
    private ResourceType? ScaleTypeOf(V2CrossVersionObjectReference reference) =>
        _customTypes.Current.FindByKind(reference.ApiVersion, reference.Kind)?.Served;

    /// <summary>The stored type of a scale target: a built-in workload, or a custom resource with a scale subresource.</summary>
    private ResourceType? TargetType(V2CrossVersionObjectReference reference)
    {
        var group = GroupOf(reference.ApiVersion);
        return ResourceCatalog.Types.FirstOrDefault(t => t.Group == group && t.Kind == reference.Kind && t.HasSubresource("scale"))
            ?? _customTypes.Current.Entries.FirstOrDefault(e => e.Served.Group == group && e.Served.Kind == reference.Kind && e.Served.HasSubresource("scale"))?.Stored;
    }

    /// <summary>Why the target's scale could not be read, in the words of kube's REST mapper and scale client.</summary>
    private string ScaleError(V2HorizontalPodAutoscaler hpa)
    {
        var reference = hpa.Spec.ScaleTargetRef;
        return TargetType(reference) is { } type
            ? $"{type.QualifiedPlural} \"{reference.Name}\" not found"
            : $"no matches for kind \"{reference.Kind}\" in group \"{GroupOf(reference.ApiVersion)}\"";
    }

    private static string GroupOf(string? apiVersion) =>
        apiVersion is null ? "" : apiVersion.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0 ? apiVersion[..slash] : "";

    /// <summary>A stored target in the version its reference names: a custom resource's scale paths are that version's.</summary>
    private static async ValueTask<JsonObject> InScaleVersionAsync(ResourceType scaleType, JsonObject stored, CancellationToken ct) =>
        scaleType.Conversion is { } conversion ? (await conversion.FromStorageAsync([stored], ct).ConfigureAwait(false))[0] : stored;

    /// <summary>A stored target with its replicas set where its scale says, in the version the reference names, and stored again.</summary>
    private static async ValueTask<JsonObject> WithReplicasAsync(ResourceType scaleType, JsonObject stored, int replicas, CancellationToken ct)
    {
        var target = await InScaleVersionAsync(scaleType, stored, ct).ConfigureAwait(false);
        ScalePaths.Of(scaleType).SetSpecReplicas(target, replicas);
        return scaleType.Conversion is { } conversion ? await conversion.ToStorageAsync(target, ct).ConfigureAwait(false) : target;
    }

    private static long MilliValue(ResourceQuantity quantity) => (long)Math.Ceiling(quantity.ToDecimal() * 1000m);

    /// <summary>A milli-value as kube's <c>resource.NewMilliQuantity(v, DecimalSI)</c> prints it.</summary>
    private static ResourceQuantity MilliQuantity(long milli) =>
        new(milli % 1000 == 0 ? (milli / 1000).ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{milli}m");

    private static string Key(V2HorizontalPodAutoscaler hpa) => $"{hpa.Namespace()}/{hpa.Name()}";

    private sealed record MetricsProposal(int Replicas, string Metric, IReadOnlyList<V2MetricStatus> Statuses, string? Error);

    private sealed record MetricProposal(int Replicas, string Metric, V2MetricValueStatus? Current)
    {
        public V2MetricStatus? Status { get; init; }

        public string? Error { get; init; }

        public string? FailureReason { get; init; }

        public static MetricProposal Failed(string reason, string error) => new(0, "", null) { Error = error, FailureReason = reason };
    }
}
