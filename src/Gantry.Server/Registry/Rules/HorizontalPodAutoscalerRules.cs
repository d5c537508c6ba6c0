using Gantry.Core.Resources;
using Gantry.Core.Resources.Conversion;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// HorizontalPodAutoscalers, stored as autoscaling/v2: the defaults of kube's <c>SetDefaults_HorizontalPodAutoscaler</c>
/// (one replica at least, an 80% CPU utilization target when no metric is named, and every unset scaling rule of a
/// behavior filled in by <c>GenerateHPAScaleUpRules</c> / <c>GenerateHPAScaleDownRules</c>), and
/// <c>ValidateHorizontalPodAutoscaler</c>, <c>ValidateHorizontalPodAutoscalerUpdate</c> and
/// <c>ValidateHorizontalPodAutoscalerStatusUpdate</c> with the options kube's registry strategy gives them. The feature
/// gates are as kube ships them: HPAScaleToZero off (minReplicas 0 only where it already was), HPAConfigurableTolerance
/// on (tolerance kept and checked).
/// </summary>
public sealed class HorizontalPodAutoscalerRules() : ResourceRules<V2HorizontalPodAutoscaler>(ResourceCatalog.Get("autoscaling", "horizontalpodautoscalers"))
{
    private const int MaxPeriodSeconds = 1800;
    private const int MaxStabilizationWindowSeconds = 3600;

    private static readonly FieldPath Spec = FieldPath.Of("spec");
    private static readonly FieldPath Status = FieldPath.Of("status");

    // Sorted, as kube lists a sets.String.
    private static readonly string[] MetricSourceTypes = ["ContainerResource", "External", "Object", "Pods", "Resource"];
    private static readonly string[] MetricTargetTypes = ["Utilization", "Value", "AverageValue"];
    private static readonly string[] SelectPolicies = ["Disabled", "Max", "Min"];
    private static readonly string[] PolicyTypes = ["Percent", "Pods"];

    private static readonly HashSet<string> StandardContainerResources = new(["cpu", "memory", "ephemeral-storage"], StringComparer.Ordinal);

    /// <summary>kube's core <c>helper.IsStandardResourceName</c>, without the huge page prefixes.</summary>
    private static readonly HashSet<string> StandardResources = new(
        [
            "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage", "limits.cpu",
            "limits.memory", "limits.ephemeral-storage", "pods", "resourcequotas", "services", "replicationcontrollers", "secrets",
            "persistentvolumeclaims", "configmaps", "services.nodeports", "services.loadbalancers", "storage", "requests.storage",
        ],
        StringComparer.Ordinal);

    /// <summary>kube's <c>CrossVersionObjectReferenceValidationOptions</c>.</summary>
    private readonly record struct ReferenceOptions(bool AllowEmptyApiGroup, bool AllowInvalidApiVersion);

    /// <summary>kube's <c>HorizontalPodAutoscalerSpecValidationOptions</c>.</summary>
    private readonly record struct SpecOptions(int MinReplicasLowerBound, ReferenceOptions ScaleTargetRef, ReferenceOptions ObjectMetrics);

    protected override void Default(V2HorizontalPodAutoscaler obj)
    {
        DropRoundTripAnnotations(obj.Metadata);
        var spec = obj.Spec ??= new V2HorizontalPodAutoscalerSpec();
        spec.MinReplicas ??= 1;
        if (spec.Metrics is not { Count: > 0 })
        {
            spec.Metrics =
            [
                new V2MetricSpec
                {
                    Type = "Resource",
                    Resource = new V2ResourceMetricSource
                    {
                        Name = "cpu",
                        Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = HorizontalPodAutoscalerV1Conversion.DefaultCpuUtilization },
                    },
                },
            ];
        }

        if (spec.Behavior is { } behavior)
        {
            behavior.ScaleUp = ScaleUpRules(behavior.ScaleUp);
            behavior.ScaleDown = ScaleDownRules(behavior.ScaleDown);
        }
    }

    protected override void Validate(V2HorizontalPodAutoscaler obj, List<FieldError> errors) =>
        ValidateSpec(obj.Spec ?? new V2HorizontalPodAutoscalerSpec(), OptionsFor(obj, null), errors);

    protected override void ValidateUpdate(V2HorizontalPodAutoscaler obj, V2HorizontalPodAutoscaler old, List<FieldError> errors) =>
        ValidateSpec(obj.Spec ?? new V2HorizontalPodAutoscalerSpec(), OptionsFor(obj, old), errors);

    /// <summary>kube's <c>ValidateHorizontalPodAutoscalerStatusUpdate</c>: replica counts only, not the spec.</summary>
    protected override void ValidateStatusUpdate(V2HorizontalPodAutoscaler obj, V2HorizontalPodAutoscaler old, List<FieldError> errors)
    {
        ReplicaTemplateValidation.ValidateNonNegative(obj.Status?.CurrentReplicas ?? 0, Status.Child("currentReplicas"), errors);
        ReplicaTemplateValidation.ValidateNonNegative(obj.Status?.DesiredReplicas ?? 0, Status.Child("desiredReplicas"), errors);
    }

    /// <summary>
    /// The annotations that carry v2 fields through autoscaling/v1 never reach storage: kube's v2 conversion drops any a
    /// client sends, and the v1 conversion turns them into fields. Dropped here so that a v2 write drops them too.
    /// </summary>
    private static void DropRoundTripAnnotations(V1ObjectMeta? metadata)
    {
        if (metadata?.Annotations is not { } annotations)
        {
            return;
        }

        foreach (var name in HorizontalPodAutoscalerV1Conversion.RoundTripAnnotations)
        {
            annotations.Remove(name);
        }

        if (annotations.Count == 0)
        {
            metadata.Annotations = null;
        }
    }

    /// <summary>kube's <c>GenerateHPAScaleUpRules</c>: no stabilization, the larger of 4 pods or 100% per 15 s.</summary>
    private static V2HPAScalingRules ScaleUpRules(V2HPAScalingRules? rules) => CopyScalingRules(rules, new V2HPAScalingRules
    {
        StabilizationWindowSeconds = 0,
        SelectPolicy = "Max",
        Policies =
        [
            new V2HPAScalingPolicy { Type = "Pods", Value = 4, PeriodSeconds = 15 },
            new V2HPAScalingPolicy { Type = "Percent", Value = 100, PeriodSeconds = 15 },
        ],
    });

    /// <summary>
    /// kube's <c>GenerateHPAScaleDownRules</c>: 100% per 15 s; the stabilization window is left unset, for the controller's
    /// command-line default.
    /// </summary>
    private static V2HPAScalingRules ScaleDownRules(V2HPAScalingRules? rules) => CopyScalingRules(rules, new V2HPAScalingRules
    {
        SelectPolicy = "Max",
        Policies = [new V2HPAScalingPolicy { Type = "Percent", Value = 100, PeriodSeconds = 15 }],
    });

    /// <summary>kube's <c>copyHPAScalingRules</c>: the defaults, with whatever the client set.</summary>
    private static V2HPAScalingRules CopyScalingRules(V2HPAScalingRules? from, V2HPAScalingRules to)
    {
        if (from is null)
        {
            return to;
        }

        to.SelectPolicy = from.SelectPolicy ?? to.SelectPolicy;
        to.StabilizationWindowSeconds = from.StabilizationWindowSeconds ?? to.StabilizationWindowSeconds;
        to.Policies = from.Policies ?? to.Policies;
        to.Tolerance = from.Tolerance ?? to.Tolerance;
        return to;
    }

    /// <summary>kube's <c>validationOptionsForHorizontalPodAutoscaler</c>; <paramref name="old"/> is null on create.</summary>
    private static SpecOptions OptionsFor(V2HorizontalPodAutoscaler obj, V2HorizontalPodAutoscaler? old)
    {
        var target = obj.Spec?.ScaleTargetRef;
        var oldTarget = old?.Spec?.ScaleTargetRef;
        var scaleTargetRef = new ReferenceOptions(AllowEmptyApiGroup: false, AllowInvalidApiVersion: false);
        if (old is not null && (oldTarget?.ApiVersion ?? "") == (target?.ApiVersion ?? "") && (oldTarget?.Kind ?? "") == (target?.Kind ?? ""))
        {
            // An update that keeps the kind and apiVersion is not held to the rule they were created before.
            scaleTargetRef = scaleTargetRef with { AllowInvalidApiVersion = true };
        }
        else if (target?.Kind == "ReplicationController")
        {
            // The one scalable kind of the core API, which has no group.
            scaleTargetRef = scaleTargetRef with { AllowEmptyApiGroup = true };
        }

        var objectMetrics = new ReferenceOptions(AllowEmptyApiGroup: true, AllowInvalidApiVersion: false);
        var oldHasInvalidObjectMetric = (old?.Spec?.Metrics ?? [])
            .Any(m => m.Type == "Object" && m.ObjectProperty is { } source && ApiVersionError(source.DescribedObject?.ApiVersion, objectMetrics) is not null);
        if (oldHasInvalidObjectMetric)
        {
            objectMetrics = objectMetrics with { AllowInvalidApiVersion = true };
        }

        var minReplicasLowerBound = old?.Spec?.MinReplicas == 0 ? 0 : 1;
        return new SpecOptions(minReplicasLowerBound, scaleTargetRef, objectMetrics);
    }

    private static void ValidateSpec(V2HorizontalPodAutoscalerSpec spec, SpecOptions options, List<FieldError> errors)
    {
        if (spec.MinReplicas is { } min && min < options.MinReplicasLowerBound)
        {
            errors.Add(FieldErrors.Invalid(Spec.Child("minReplicas"), min, $"must be greater than or equal to {options.MinReplicasLowerBound}"));
        }

        if (spec.MaxReplicas < 1)
        {
            errors.Add(FieldErrors.Invalid(Spec.Child("maxReplicas"), spec.MaxReplicas, "must be greater than 0"));
        }

        if (spec.MinReplicas is { } minimum && spec.MaxReplicas < minimum)
        {
            errors.Add(FieldErrors.Invalid(Spec.Child("maxReplicas"), spec.MaxReplicas, "must be greater than or equal to `minReplicas`"));
        }

        ValidateReference(spec.ScaleTargetRef, Spec.Child("scaleTargetRef"), options.ScaleTargetRef, errors);
        ValidateMetrics(spec.Metrics ?? [], Spec.Child("metrics"), spec.MinReplicas, options.ObjectMetrics, errors);
        if (spec.Behavior is { } behavior)
        {
            ValidateScalingRules(behavior.ScaleUp, Spec.Child("behavior").Child("scaleUp"), errors);
            ValidateScalingRules(behavior.ScaleDown, Spec.Child("behavior").Child("scaleDown"), errors);
        }
    }

    /// <summary>kube's <c>ValidateCrossVersionObjectReference</c>.</summary>
    private static void ValidateReference(V2CrossVersionObjectReference? reference, FieldPath path, ReferenceOptions options, List<FieldError> errors)
    {
        ValidatePathSegment(reference?.Kind, path.Child("kind"), "", errors);
        ValidatePathSegment(reference?.Name, path.Child("name"), "", errors);
        if (ApiVersionError(reference?.ApiVersion, options) is { } message)
        {
            errors.Add(FieldErrors.Invalid(path.Child("apiVersion"), reference?.ApiVersion ?? "", message));
        }
    }

    private static void ValidatePathSegment(string? value, FieldPath path, string requiredDetail, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(FieldErrors.Required(path, requiredDetail));
            return;
        }

        errors.AddRange(FormatValidation.IsValidPathSegmentName(value).Select(m => FieldErrors.Invalid(path, value, m)));
    }

    /// <summary>kube's <c>ValidateAPIVersion</c>: a parseable group/version, with a group unless an empty one is allowed.</summary>
    private static string? ApiVersionError(string? apiVersion, ReferenceOptions options)
    {
        if (options.AllowInvalidApiVersion)
        {
            return null;
        }

        // schema.ParseGroupVersion
        var text = apiVersion ?? "";
        var group = "";
        if (text.Length > 0 && text != "/")
        {
            switch (text.Count(c => c == '/'))
            {
                case 0:
                    break;
                case 1:
                    group = text[..text.IndexOf('/', StringComparison.Ordinal)];
                    break;
                default:
                    return $"unexpected GroupVersion string: {text}";
            }
        }

        return !options.AllowEmptyApiGroup && group.Length == 0 ? "apiVersion must specify API group" : null;
    }

    private static void ValidateMetrics(IList<V2MetricSpec> metrics, FieldPath path, int? minReplicas, ReferenceOptions options, List<FieldError> errors)
    {
        for (var i = 0; i < metrics.Count; i++)
        {
            ValidateMetricSpec(metrics[i] ?? new V2MetricSpec(), path.Index(i), options, errors);
        }

        if (minReplicas == 0 && !metrics.Any(m => m?.Type is "Object" or "External"))
        {
            errors.Add(FieldErrors.Forbidden(path, "must specify at least one Object or External metric to support scaling to zero replicas"));
        }
    }

    private static void ValidateMetricSpec(V2MetricSpec spec, FieldPath path, ReferenceOptions options, List<FieldError> errors)
    {
        var type = spec.Type ?? "";
        if (type.Length == 0)
        {
            errors.Add(FieldErrors.Required(path.Child("type"), "must specify a metric source type"));
        }

        if (!MetricSourceTypes.Contains(type))
        {
            errors.Add(FieldErrors.NotSupported(path.Child("type"), type, MetricSourceTypes));
        }

        // Only the first source present is validated; any other is forbidden below.
        var present = new List<string>();
        if (spec.ObjectProperty is { } objectSource && Present(present, "object"))
        {
            ValidateObjectSource(objectSource, path.Child("object"), options, errors);
        }

        if (spec.External is { } external && Present(present, "external"))
        {
            ValidateExternalSource(external, path.Child("external"), errors);
        }

        if (spec.Pods is { } pods && Present(present, "pods"))
        {
            ValidatePodsSource(pods, path.Child("pods"), errors);
        }

        if (spec.Resource is { } resource && Present(present, "resource"))
        {
            ValidateResourceSource(resource.Name, resource.Target, path.Child("resource"), errors);
        }

        if (spec.ContainerResource is { } container && Present(present, "containerResource"))
        {
            ValidateContainerResourceSource(container, path.Child("containerResource"), errors);
        }

        var (expected, populated) = type switch
        {
            "Object" => ("object", spec.ObjectProperty is not null),
            "Pods" => ("pods", spec.Pods is not null),
            "Resource" => ("resource", spec.Resource is not null),
            "External" => ("external", spec.External is not null),
            "ContainerResource" => ("containerResource", spec.ContainerResource is not null),
            _ => ("", true),
        };
        if (expected.Length == 0)
        {
            errors.Add(FieldErrors.NotSupported(path.Child("type"), type, MetricSourceTypes));
        }
        else if (!populated)
        {
            errors.Add(FieldErrors.Required(path.Child(expected), "must populate information for the given metric source"));
        }

        if (present.Count != 1)
        {
            // kube walks a set here, in no particular order; name order keeps the list stable.
            foreach (var other in present.Where(p => p != expected).Order(StringComparer.Ordinal))
            {
                errors.Add(FieldErrors.Forbidden(path.Child(other), "must populate the given metric source only"));
            }
        }
    }

    /// <summary>Records a populated source; true when it is the first one.</summary>
    private static bool Present(List<string> present, string source)
    {
        present.Add(source);
        return present.Count == 1;
    }

    private static void ValidateObjectSource(V2ObjectMetricSource source, FieldPath path, ReferenceOptions options, List<FieldError> errors)
    {
        var target = source.Target ?? new V2MetricTarget();
        ValidateReference(source.DescribedObject, path.Child("describedObject"), options, errors);
        ValidateMetricIdentifier(source.Metric, path.Child("metric"), errors);
        ValidateMetricTarget(target, path.Child("target"), errors);
        if (target.Value is null && target.AverageValue is null)
        {
            errors.Add(FieldErrors.Required(path.Child("target").Child("averageValue"), "must set either a target value or averageValue"));
        }
    }

    private static void ValidateExternalSource(V2ExternalMetricSource source, FieldPath path, List<FieldError> errors)
    {
        var target = source.Target ?? new V2MetricTarget();
        ValidateMetricIdentifier(source.Metric, path.Child("metric"), errors);
        ValidateMetricTarget(target, path.Child("target"), errors);
        if (target.Value is null && target.AverageValue is null)
        {
            errors.Add(FieldErrors.Required(path.Child("target").Child("averageValue"), "must set either a target value for metric or a per-pod target"));
        }

        if (target.Value is not null && target.AverageValue is not null)
        {
            errors.Add(FieldErrors.Forbidden(path.Child("target").Child("value"), "may not set both a target value for metric and a per-pod target"));
        }
    }

    private static void ValidatePodsSource(V2PodsMetricSource source, FieldPath path, List<FieldError> errors)
    {
        var target = source.Target ?? new V2MetricTarget();
        ValidateMetricIdentifier(source.Metric, path.Child("metric"), errors);
        ValidateMetricTarget(target, path.Child("target"), errors);
        if (target.AverageValue is null)
        {
            errors.Add(FieldErrors.Required(path.Child("target").Child("averageValue"), "must specify a positive target averageValue"));
        }
    }

    private static void ValidateContainerResourceSource(V2ContainerResourceMetricSource source, FieldPath path, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(source.Name))
        {
            errors.Add(FieldErrors.Required(path.Child("name"), "must specify a resource name"));
        }
        else
        {
            ValidateContainerResourceName(source.Name, path.Child("name"), errors);
        }

        if (string.IsNullOrEmpty(source.Container))
        {
            errors.Add(FieldErrors.Required(path.Child("container"), "must specify a container"));
        }
        else
        {
            errors.AddRange(FormatValidation.IsDns1123Label(source.Container).Select(m => FieldErrors.Invalid(path.Child("container"), source.Container, m)));
        }

        ValidateResourceTarget(source.Target ?? new V2MetricTarget(), path, errors);
    }

    private static void ValidateResourceSource(string? name, V2MetricTarget? target, FieldPath path, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(FieldErrors.Required(path.Child("name"), "must specify a resource name"));
        }

        ValidateResourceTarget(target ?? new V2MetricTarget(), path, errors);
    }

    private static void ValidateResourceTarget(V2MetricTarget target, FieldPath path, List<FieldError> errors)
    {
        ValidateMetricTarget(target, path.Child("target"), errors);
        if (target.AverageUtilization is null && target.AverageValue is null)
        {
            errors.Add(FieldErrors.Required(path.Child("target").Child("averageUtilization"), "must set either a target raw value or a target utilization"));
        }

        if (target.AverageUtilization is not null && target.AverageValue is not null)
        {
            errors.Add(FieldErrors.Forbidden(path.Child("target").Child("averageValue"), "may not set both a target raw value and a target utilization"));
        }
    }

    /// <summary>
    /// kube's core <c>ValidateContainerResourceName</c>: a qualified name, and one a container may request (cpu, memory,
    /// ephemeral-storage, huge pages) or an extended resource.
    /// </summary>
    private static void ValidateContainerResourceName(string name, FieldPath path, List<FieldError> errors)
    {
        var qualified = FormatValidation.IsQualifiedName(name);
        errors.AddRange(qualified.Select(m => FieldErrors.Invalid(path, name, m)));
        var domainless = !name.Contains('/', StringComparison.Ordinal);
        if (qualified.Count == 0 && domainless && !StandardResources.Contains(name)
            && !name.StartsWith("hugepages-", StringComparison.Ordinal) && !name.StartsWith("requests.hugepages-", StringComparison.Ordinal))
        {
            errors.Add(FieldErrors.Invalid(path, name, "must be a standard resource type or fully qualified"));
        }

        if (domainless)
        {
            if (!StandardContainerResources.Contains(name) && !name.StartsWith("hugepages-", StringComparison.Ordinal))
            {
                errors.Add(FieldErrors.Invalid(path, name, "must be a standard resource for containers"));
            }
        }
        else if (!name.Contains("kubernetes.io/", StringComparison.Ordinal) && !IsExtendedResourceName(name))
        {
            errors.Add(FieldErrors.Invalid(path, name, "doesn't follow extended resource name standard"));
        }
    }

    /// <summary>kube's <c>IsExtendedResourceName</c> for a name with a domain that is not kubernetes.io's.</summary>
    private static bool IsExtendedResourceName(string name) =>
        !name.StartsWith("requests.", StringComparison.Ordinal) && FormatValidation.IsQualifiedName("requests." + name).Count == 0;

    private static void ValidateMetricTarget(V2MetricTarget target, FieldPath path, List<FieldError> errors)
    {
        var type = target.Type ?? "";
        if (type.Length == 0)
        {
            errors.Add(FieldErrors.Required(path.Child("type"), "must specify a metric target type"));
        }

        if (!MetricTargetTypes.Contains(type))
        {
            errors.Add(FieldErrors.Invalid(path.Child("type"), type, "must be either Utilization, Value, or AverageValue"));
        }

        // kube prints the Quantity struct itself here (it has no value String method).
        if (target.Value is { } value && value.ToDecimal() <= 0)
        {
            errors.Add(FieldErrors.Invalid(path.Child("value"), GoValue.Struct("resource.Quantity"), "must be positive"));
        }

        if (target.AverageValue is { } averageValue && averageValue.ToDecimal() <= 0)
        {
            errors.Add(FieldErrors.Invalid(path.Child("averageValue"), GoValue.Struct("resource.Quantity"), "must be positive"));
        }

        if (target.AverageUtilization is < 1)
        {
            errors.Add(FieldErrors.Invalid(path.Child("averageUtilization"), target.AverageUtilization.Value, "must be greater than 0"));
        }
    }

    private static void ValidateMetricIdentifier(V2MetricIdentifier? identifier, FieldPath path, List<FieldError> errors) =>
        ValidatePathSegment(identifier?.Name, path.Child("name"), "must specify a metric name", errors);

    private static void ValidateScalingRules(V2HPAScalingRules? rules, FieldPath path, List<FieldError> errors)
    {
        if (rules is null)
        {
            return;
        }

        if (rules.StabilizationWindowSeconds is < 0)
        {
            errors.Add(FieldErrors.Invalid(path.Child("stabilizationWindowSeconds"), rules.StabilizationWindowSeconds.Value, "must be greater than or equal to zero"));
        }

        if (rules.StabilizationWindowSeconds is > MaxStabilizationWindowSeconds)
        {
            errors.Add(FieldErrors.Invalid(path.Child("stabilizationWindowSeconds"), rules.StabilizationWindowSeconds.Value,
                $"must be less than or equal to {MaxStabilizationWindowSeconds}"));
        }

        if (rules.SelectPolicy is { } selectPolicy && !SelectPolicies.Contains(selectPolicy))
        {
            errors.Add(FieldErrors.NotSupported(path.Child("selectPolicy"), selectPolicy, SelectPolicies));
        }

        var policies = rules.Policies ?? [];
        if (policies.Count == 0)
        {
            errors.Add(FieldErrors.Required(path.Child("policies"), "must specify at least one Policy"));
        }

        for (var i = 0; i < policies.Count; i++)
        {
            ValidateScalingPolicy(policies[i] ?? new V2HPAScalingPolicy(), path.Child("policies").Index(i), errors);
        }

        if (rules.Tolerance is { } tolerance && tolerance.ToDecimal() < 0)
        {
            errors.Add(FieldErrors.Invalid(path.Child("tolerance"), GoValue.QuantityText(tolerance), FormatValidation.IsNegative));
        }
    }

    private static void ValidateScalingPolicy(V2HPAScalingPolicy policy, FieldPath path, List<FieldError> errors)
    {
        if (policy.Type is not ("Pods" or "Percent"))
        {
            errors.Add(FieldErrors.NotSupported(path.Child("type"), policy.Type ?? "", PolicyTypes));
        }

        if (policy.Value <= 0)
        {
            errors.Add(FieldErrors.Invalid(path.Child("value"), policy.Value, "must be greater than zero"));
        }

        if (policy.PeriodSeconds <= 0)
        {
            errors.Add(FieldErrors.Invalid(path.Child("periodSeconds"), policy.PeriodSeconds, "must be greater than zero"));
        }

        if (policy.PeriodSeconds > MaxPeriodSeconds)
        {
            errors.Add(FieldErrors.Invalid(path.Child("periodSeconds"), policy.PeriodSeconds, $"must be less than or equal to {MaxPeriodSeconds}"));
        }
    }
}
