using Gantry.Core.Resources;
using Gantry.Core.Validation;
using Gantry.Server.Controllers;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// Pods: the defaults of <c>SetDefaults_Pod</c> and <c>SetDefaults_PodSpec</c> plus what the Priority
/// admission plugin fills in, and <c>ValidatePodCreate</c>/<c>ValidatePodUpdate</c>, where the spec is
/// immutable except for images, <c>activeDeadlineSeconds</c>, added tolerations and a grace-period fix, and
/// <c>ValidatePodEphemeralContainersUpdate</c> for writes to the ephemeralcontainers subresource, the only way in
/// for ephemeral containers.
/// </summary>
public sealed class PodRules() : ResourceRules<V1Pod>(ResourceCatalog.Get("", "pods"))
{
    private static readonly string[] UpdatableFields =
    [
        "`spec.containers[*].image`",
        "`spec.initContainers[*].image`",
        "`spec.activeDeadlineSeconds`",
        "`spec.tolerations` (only additions to existing tolerations)",
        "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
    ];

    private static readonly FieldPath Spec = FieldPath.Of("spec");

    private static readonly FieldPath StatusPath = FieldPath.Of("status");

    /// <summary>What marks the mirror of a static pod, which kubelet runs from a file and no API write can add to.</summary>
    private const string MirrorPodAnnotation = "kubernetes.io/config.mirror";

    protected override void Default(V1Pod obj)
    {
        var spec = obj.Spec ??= new V1PodSpec();
        PodSpecDefaults.Default(spec);
        foreach (var container in (spec.Containers ?? []).Concat(spec.InitContainers ?? []))
        {
            DefaultRequestsToLimits(container.Resources);
        }

        spec.EnableServiceLinks ??= true;
        PodSpecDefaults.DefaultHostNetworkPorts(spec);
        DefaultPriority(spec);

        // A new pod starts Pending with its QoS class, as the pod strategy's PrepareForCreate sets it.
        var status = obj.Status ??= new V1PodStatus();
        status.Phase ??= "Pending";
        status.QosClass ??= QosClassOf(spec);
    }

    private static readonly string[] QosResources = ["cpu", "memory"];

    /// <summary>Guaranteed when every container limits cpu and memory at its requests, BestEffort with none, else Burstable.</summary>
    private static string QosClassOf(V1PodSpec spec)
    {
        var containers = (spec.Containers ?? []).Concat(spec.InitContainers ?? []).ToList();
        var any = containers.Any(c => c.Resources?.Requests?.Count > 0 || c.Resources?.Limits?.Count > 0);
        if (!any)
        {
            return "BestEffort";
        }

        var guaranteed = containers.All(c =>
            QosResources.All(r =>
                c.Resources?.Limits is { } limits && limits.TryGetValue(r, out var limit) &&
                (c.Resources.Requests is not { } requests || !requests.TryGetValue(r, out var request) || request.ToString() == limit.ToString())));
        return guaranteed ? "Guaranteed" : "Burstable";
    }

    protected override void Validate(V1Pod obj, List<FieldError> errors)
    {
        var spec = obj.Spec ?? new V1PodSpec();
        PodDeletionCost.Validate(obj.Metadata?.Annotations, errors);
        PodSpecValidation.Validate(spec, Spec, isPod: true, errors);
        if ((spec.EphemeralContainers?.Count ?? 0) > 0)
        {
            errors.Add(FieldErrors.Forbidden(Spec.Child("ephemeralContainers"), "cannot be set on create"));
        }

        if (!string.IsNullOrEmpty(spec.NodeName) && (spec.SchedulingGates?.Count ?? 0) > 0)
        {
            errors.Add(FieldErrors.Forbidden(Spec.Child("nodeName"), "cannot be set until all schedulingGates have been cleared"));
        }
    }

    /// <summary>
    /// The pod status strategy's checks (<c>ValidatePodStatusUpdate</c>) of what a node or the scheduler reports. The
    /// spec is not validated again: a status write keeps the stored one, as its strategy's <c>PrepareForUpdate</c> does.
    /// </summary>
    protected override void ValidateStatusUpdate(V1Pod obj, V1Pod old, List<FieldError> errors)
    {
        var status = obj.Status ?? new V1PodStatus();
        var nominated = status.NominatedNodeName;
        if (!string.IsNullOrEmpty(nominated) && nominated != old.Status?.NominatedNodeName)
        {
            foreach (var message in FormatValidation.IsDns1123Subdomain(nominated))
            {
                errors.Add(FieldErrors.Invalid(StatusPath.Child("nominatedNodeName"), nominated, message));
            }
        }

        var podIPs = status.PodIPs ?? [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < podIPs.Count; i++)
        {
            var ip = podIPs[i].Ip ?? "";
            foreach (var message in FormatValidation.IsValidIP(ip))
            {
                errors.Add(FieldErrors.Invalid(StatusPath.Child("podIPs").Index(i), ip, message));
            }

            if (!seen.Add(ip))
            {
                errors.Add(FieldErrors.Duplicate(StatusPath.Child("podIPs").Index(i), ip));
            }
        }
    }

    protected override void ValidateUpdate(V1Pod obj, V1Pod old, List<FieldError> errors)
    {
        var spec = obj.Spec ?? new V1PodSpec();
        var oldSpec = old.Spec ?? new V1PodSpec();
        PodDeletionCost.Validate(obj.Metadata?.Annotations, errors);
        PodSpecValidation.Validate(spec, Spec, isPod: true, errors);
        if (!PodSpecValidation.ValidateContainerUpdates(spec.Containers, oldSpec.Containers, Spec.Child("containers"), errors) ||
            !PodSpecValidation.ValidateContainerUpdates(spec.InitContainers, oldSpec.InitContainers, Spec.Child("initContainers"), errors))
        {
            return;
        }

        if (spec.ActiveDeadlineSeconds is { } deadline)
        {
            if (deadline is < 0 or > int.MaxValue)
            {
                errors.Add(FieldErrors.Invalid(Spec.Child("activeDeadlineSeconds"), deadline, FormatValidation.InclusiveRangeError(0, int.MaxValue)));
                return;
            }

            if (oldSpec.ActiveDeadlineSeconds is { } oldDeadline && oldDeadline < deadline)
            {
                errors.Add(FieldErrors.Invalid(Spec.Child("activeDeadlineSeconds"), deadline, "must be less than or equal to previous value"));
                return;
            }
        }
        else if (oldSpec.ActiveDeadlineSeconds is not null)
        {
            errors.Add(FieldErrors.Invalid(Spec.Child("activeDeadlineSeconds"), null, "must not update from a positive integer to nil value"));
        }

        PodSpecValidation.ValidateOnlyAddedTolerations(spec.Tolerations, oldSpec.Tolerations, Spec.Child("tolerations"), errors);
        if (SemanticEquality.AreEqual(spec, oldSpec))
        {
            return;
        }

        var munged = Munge(spec, oldSpec);
        if (!SemanticEquality.AreEqual(munged, oldSpec))
        {
            var detail = $"pod updates may not change fields other than {string.Join(",", UpdatableFields)}\n" +
                SpecDiff.Describe("core.PodSpec", oldSpec, munged);
            errors.Add(FieldErrors.Forbidden(Spec, detail));
        }
    }

    /// <summary>
    /// <c>ValidatePodEphemeralContainersUpdate</c>: the pod is validated as a whole (its new ephemeral containers with
    /// it), a static pod takes none, and the ephemeral containers it had stay as they were, found by name since a patch
    /// need not keep their order.
    /// </summary>
    protected override void ValidateEphemeralContainersUpdate(V1Pod obj, V1Pod old, List<FieldError> errors)
    {
        // kube answers a static pod with this error alone, whatever else is wrong.
        if (old.Metadata?.Annotations?.ContainsKey(MirrorPodAnnotation) == true)
        {
            errors.Add(FieldErrors.Forbidden(FieldPath.Root, "static pods do not support ephemeral containers"));
            return;
        }

        PodDeletionCost.Validate(obj.Metadata?.Annotations, errors);
        PodSpecValidation.Validate(obj.Spec ?? new V1PodSpec(), Spec, isPod: true, errors);

        var path = Spec.Child("ephemeralContainers");
        var updated = (obj.Spec?.EphemeralContainers ?? []).GroupBy(c => c.Name ?? "").ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var previous in old.Spec?.EphemeralContainers ?? [])
        {
            if (!updated.TryGetValue(previous.Name ?? "", out var current))
            {
                errors.Add(FieldErrors.Forbidden(path, $"existing ephemeral containers \"{previous.Name}\" may not be removed\n"));
            }
            else if (!SemanticEquality.AreEqual(previous, current))
            {
                errors.Add(FieldErrors.Forbidden(path.Child(previous.Name ?? ""),
                    $"existing ephemeral containers \"{previous.Name}\" may not be changed\n{SpecDiff.Describe("core.EphemeralContainer", previous, current)}"));
            }
        }
    }

    /// <summary>The new spec with every field a pod update may change put back to its old value.</summary>
    private static V1PodSpec Munge(V1PodSpec spec, V1PodSpec oldSpec)
    {
        var munged = SemanticEquality.Clone(spec);
        for (var i = 0; i < (munged.Containers?.Count ?? 0); i++)
        {
            munged.Containers![i].Image = oldSpec.Containers![i].Image;
        }

        for (var i = 0; i < (munged.InitContainers?.Count ?? 0); i++)
        {
            munged.InitContainers![i].Image = oldSpec.InitContainers![i].Image;
        }

        munged.ActiveDeadlineSeconds = oldSpec.ActiveDeadlineSeconds;
        munged.SchedulingGates = oldSpec.SchedulingGates;
        munged.Tolerations = oldSpec.Tolerations;
        if (oldSpec.TerminationGracePeriodSeconds < 0 && munged.TerminationGracePeriodSeconds == 1)
        {
            munged.TerminationGracePeriodSeconds = oldSpec.TerminationGracePeriodSeconds;
        }

        return munged;
    }

    // A limit without a request means a request of the same amount (pods only, not templates).
    private static void DefaultRequestsToLimits(V1ResourceRequirements? resources)
    {
        if (resources?.Limits is null)
        {
            return;
        }

        resources.Requests ??= new Dictionary<string, ResourceQuantity>();
        foreach (var (name, limit) in resources.Limits)
        {
            if (!resources.Requests.ContainsKey(name))
            {
                resources.Requests[name] = new ResourceQuantity(limit.ToString());
            }
        }
    }

    /// <summary>
    /// What the Priority admission plugin fills in when it can decide alone: priority 0 without a class
    /// (Gantry has no global default class), the fixed values of the two system classes, and the
    /// default preemption policy. Other class names are resolved by whoever can read PriorityClasses.
    /// </summary>
    private static void DefaultPriority(V1PodSpec spec)
    {
        if (string.IsNullOrEmpty(spec.PriorityClassName))
        {
            spec.Priority ??= 0;
        }
        else if (SystemPriorityClasses.ValueOf(spec.PriorityClassName) is { } value)
        {
            spec.Priority ??= value;
        }

        if (spec.Priority is not null && string.IsNullOrEmpty(spec.PreemptionPolicy))
        {
            spec.PreemptionPolicy = "PreemptLowerPriority";
        }
    }
}
