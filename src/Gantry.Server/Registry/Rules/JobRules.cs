using Gantry.Core.Resources;
using Gantry.Core.Selectors;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// Jobs (batch/v1): the defaults of <c>SetDefaults_Job</c>, the selector the job strategy generates from the
/// job's uid (which the caller assigns before <see cref="IResourceRules.Default"/> on create), and
/// <c>ValidateJob</c>/<c>ValidateJobUpdate</c>.
/// </summary>
public sealed class JobRules() : ResourceRules<V1Job>(ResourceCatalog.Get("batch", "jobs"))
{
    public const string ControllerUidLabel = "batch.kubernetes.io/controller-uid";
    public const string JobNameLabel = "batch.kubernetes.io/job-name";
    public const string LegacyControllerUidLabel = "controller-uid";
    public const string LegacyJobNameLabel = "job-name";

    private const int MaxParallelismForIndexedJob = 100000;
    private const int MaxFailedIndexesForIndexedJob = 100_000;

    // Past this many completions, backoffLimitPerIndex needs tighter bounds to keep failedIndexes short.
    private const int CompletionsSoftLimit = 100_000;
    private const int ParallelismLimitForHighCompletions = 10_000;
    private const int MaxFailedIndexesLimitForHighCompletions = 10_000;

    private static readonly FieldPath Spec = FieldPath.Of("spec");
    private static readonly string[] CompletionModes = ["NonIndexed", "Indexed"];
    private static readonly string[] ReplacementPolicies = ["Failed", "TerminatingOrFailed"];

    protected override void Default(V1Job obj)
    {
        var metadata = obj.Metadata ??= new V1ObjectMeta();
        var spec = obj.Spec ??= new V1JobSpec();
        if (spec.Completions is null && spec.Parallelism is null)
        {
            spec.Completions = 1;
            spec.Parallelism = 1;
        }

        spec.Parallelism ??= 1;
        spec.BackoffLimit ??= spec.BackoffLimitPerIndex is null ? 6 : int.MaxValue;
        if (string.IsNullOrEmpty(spec.CompletionMode))
        {
            spec.CompletionMode = "NonIndexed";
        }

        spec.Suspend ??= false;
        if (string.IsNullOrEmpty(spec.PodReplacementPolicy))
        {
            spec.PodReplacementPolicy = spec.PodFailurePolicy is null ? "TerminatingOrFailed" : "Failed";
        }

        foreach (var pattern in (spec.PodFailurePolicy?.Rules ?? []).SelectMany(r => r.OnPodConditions ?? []))
        {
            if (string.IsNullOrEmpty(pattern.Status))
            {
                pattern.Status = "True";
            }
        }

        var template = spec.Template ??= new V1PodTemplateSpec();
        var userLabels = template.Metadata?.Labels is { Count: > 0 } given ? new Dictionary<string, string>(given) : null;
        if (spec.ManualSelector != true && !string.IsNullOrEmpty(metadata.Uid))
        {
            GenerateSelector(metadata, spec, template);
        }

        // The apiserver copies the template labels onto the job when decoding the request (before the
        // selector labels exist) and again when reading it back, so users see their labels if they gave
        // any and the generated ones otherwise.
        if ((metadata.Labels?.Count ?? 0) == 0 && (userLabels ?? template.Metadata?.Labels) is { Count: > 0 } labels)
        {
            metadata.Labels = new Dictionary<string, string>(labels);
        }

        PodSpecDefaults.DefaultTemplate(template);
    }

    protected override void Validate(V1Job obj, List<FieldError> errors) => Validate(obj, requirePrefixedLabels: true, errors);

    protected override void ValidateStatusUpdate(V1Job obj, V1Job old, List<FieldError> errors)
    {
        base.ValidateStatusUpdate(obj, old, errors);
        JobStatusValidation.ValidateUpdate(obj, old, errors);
    }

    protected override void ValidateUpdate(V1Job obj, V1Job old, List<FieldError> errors)
    {
        var oldLabels = old.Spec?.Template?.Metadata?.Labels;
        Validate(obj, requirePrefixedLabels: oldLabels?.ContainsKey(ControllerUidLabel) == true, errors);
        var spec = obj.Spec ?? new V1JobSpec();
        var oldSpec = old.Spec ?? new V1JobSpec();
        ValidateCompletionsUpdate(spec, oldSpec, errors);
        if (!SemanticEquality.AreEqual(spec.Selector, oldSpec.Selector))
        {
            errors.Add(FieldErrors.Immutable(Spec.Child("selector"), spec.Selector is null ? null : GoValue.LabelSelector(spec.Selector)));
        }

        ValidateTemplateUpdate(spec, oldSpec, errors);
        ValidateUnchanged(spec.CompletionMode, oldSpec.CompletionMode, Spec.Child("completionMode"), errors);
        if (!SemanticEquality.AreEqual(spec.PodFailurePolicy, oldSpec.PodFailurePolicy))
        {
            errors.Add(FieldErrors.Immutable(Spec.Child("podFailurePolicy"), GoValue.Struct("batch.PodFailurePolicy")));
        }

        if (spec.BackoffLimitPerIndex != oldSpec.BackoffLimitPerIndex)
        {
            errors.Add(FieldErrors.Immutable(Spec.Child("backoffLimitPerIndex"), spec.BackoffLimitPerIndex));
        }
    }

    private static void GenerateSelector(V1ObjectMeta metadata, V1JobSpec spec, V1PodTemplateSpec template)
    {
        var templateMetadata = template.Metadata ??= new V1ObjectMeta();
        var labels = templateMetadata.Labels ??= new Dictionary<string, string>();
        // Labels the user set are kept even when they conflict; validation then rejects the job.
        labels.TryAdd(LegacyJobNameLabel, metadata.Name ?? "");
        labels.TryAdd(JobNameLabel, metadata.Name ?? "");
        labels.TryAdd(LegacyControllerUidLabel, metadata.Uid);
        labels.TryAdd(ControllerUidLabel, metadata.Uid);
        var selector = spec.Selector ??= new V1LabelSelector();
        selector.MatchLabels ??= new Dictionary<string, string>();
        selector.MatchLabels.TryAdd(ControllerUidLabel, metadata.Uid);
    }

    private static void Validate(V1Job job, bool requirePrefixedLabels, List<FieldError> errors)
    {
        var spec = job.Spec ?? new V1JobSpec();
        ValidateGeneratedSelector(job, requirePrefixedLabels, errors);
        ValidateSpec(spec, Spec, errors);
        if (spec.Selector is null)
        {
            errors.Add(FieldErrors.Required(Spec.Child("selector")));
        }
        else
        {
            errors.AddRange(LabelSelectorValidation.Validate(spec.Selector, Spec.Child("selector")));
        }

        if (TryParse(spec.Selector) is { } selector && !selector.Matches(spec.Template?.Metadata))
        {
            errors.Add(FieldErrors.Invalid(Spec.Child("template").Child("metadata").Child("labels"), GoValue.Map(spec.Template?.Metadata?.Labels),
                "`selector` does not match template `labels`"));
        }

        if (spec.CompletionMode == "Indexed" && spec.Completions is > 0)
        {
            // Indexed pods are named "<job>-<index>", which must stay a valid DNS label.
            var hostname = $"{job.Metadata?.Name}-{spec.Completions - 1}";
            if (FormatValidation.IsDns1123Label(hostname).Count > 0)
            {
                errors.Add(FieldErrors.Invalid(FieldPath.Of("metadata", "name"), job.Metadata?.Name ?? "",
                    $"will not able to create pod with invalid DNS label: {hostname}"));
            }
        }
    }

    private static void ValidateGeneratedSelector(V1Job job, bool requirePrefixedLabels, List<FieldError> errors)
    {
        var spec = job.Spec ?? new V1JobSpec();
        if (spec.ManualSelector == true || spec.Selector is null)
        {
            return;
        }

        var uid = job.Metadata?.Uid ?? "";
        var name = job.Metadata?.Name ?? "";
        if (uid.Length == 0)
        {
            errors.Add(FieldErrors.Required(FieldPath.Of("metadata", "uid")));
        }

        var templateMetadata = spec.Template?.Metadata;
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        RequireLabel(templateMetadata, LegacyControllerUidLabel, uid, errors);
        RequireLabel(templateMetadata, LegacyJobNameLabel, name, errors);
        if (requirePrefixedLabels)
        {
            RequireLabel(templateMetadata, ControllerUidLabel, uid, errors);
            RequireLabel(templateMetadata, JobNameLabel, name, errors);
            expected[ControllerUidLabel] = uid;
            expected[JobNameLabel] = name;
        }

        expected[LegacyControllerUidLabel] = uid;
        expected[LegacyJobNameLabel] = name;
        if (TryParse(spec.Selector) is { } selector && !selector.Matches(expected))
        {
            errors.Add(FieldErrors.Invalid(Spec.Child("selector"), GoValue.LabelSelector(spec.Selector), "`selector` not auto-generated"));
        }
    }

    private static void RequireLabel(V1ObjectMeta? metadata, string key, string expected, List<FieldError> errors)
    {
        var path = Spec.Child("template").Child("metadata").Child("labels").Key(key);
        if (metadata?.Labels is null || !metadata.Labels.TryGetValue(key, out var actual))
        {
            errors.Add(FieldErrors.Required(path, $"must be '{expected}'"));
        }
        else if (actual != expected)
        {
            errors.Add(FieldErrors.Invalid(path, GoValue.Map(metadata.Labels), $"must be '{expected}'"));
        }
    }

    /// <summary>kube's <c>validateJobSpec</c>: a Job's spec, or the spec of a CronJob's job template at <paramref name="path"/>.</summary>
    internal static void ValidateSpec(V1JobSpec spec, FieldPath path, List<FieldError> errors)
    {
        ReplicaTemplateValidation.ValidateNonNegative(spec.Parallelism, path.Child("parallelism"), errors);
        ReplicaTemplateValidation.ValidateNonNegative(spec.Completions, path.Child("completions"), errors);
        ReplicaTemplateValidation.ValidateNonNegative(spec.ActiveDeadlineSeconds, path.Child("activeDeadlineSeconds"), errors);
        ReplicaTemplateValidation.ValidateNonNegative(spec.BackoffLimit, path.Child("backoffLimit"), errors);
        ReplicaTemplateValidation.ValidateNonNegative(spec.TtlSecondsAfterFinished, path.Child("ttlSecondsAfterFinished"), errors);
        ReplicaTemplateValidation.ValidateNonNegative(spec.BackoffLimitPerIndex, path.Child("backoffLimitPerIndex"), errors);
        if (spec.MaxFailedIndexes is { } maxFailed)
        {
            ReplicaTemplateValidation.ValidateNonNegative(maxFailed, path.Child("maxFailedIndexes"), errors);
            if (spec.BackoffLimitPerIndex is null)
            {
                errors.Add(FieldErrors.Required(path.Child("backoffLimitPerIndex"), "when maxFailedIndexes is specified"));
            }
        }

        if (spec.CompletionMode is { } mode)
        {
            if (!CompletionModes.Contains(mode))
            {
                errors.Add(FieldErrors.NotSupported(path.Child("completionMode"), mode, CompletionModes));
            }

            if (mode == "Indexed")
            {
                if (spec.Completions is null)
                {
                    errors.Add(FieldErrors.Required(path.Child("completions"), "when completion mode is Indexed"));
                }

                if (spec.Parallelism > MaxParallelismForIndexedJob)
                {
                    errors.Add(FieldErrors.Invalid(path.Child("parallelism"), spec.Parallelism.Value,
                        $"must be less than or equal to {MaxParallelismForIndexedJob} when completion mode is Indexed"));
                }

                ValidateFailedIndexes(spec, path, errors);
            }
        }

        if (spec.CompletionMode is null or "NonIndexed")
        {
            if (spec.BackoffLimitPerIndex is { } perIndex)
            {
                errors.Add(FieldErrors.Invalid(path.Child("backoffLimitPerIndex"), perIndex, "requires indexed completion mode"));
            }

            if (spec.MaxFailedIndexes is { } maxFailedIndexes)
            {
                errors.Add(FieldErrors.Invalid(path.Child("maxFailedIndexes"), maxFailedIndexes, "requires indexed completion mode"));
            }
        }

        if (spec.PodFailurePolicy is not null)
        {
            PodFailurePolicyValidation.Validate(spec, path.Child("podFailurePolicy"), errors);
        }

        if (spec.PodReplacementPolicy is { } replacement)
        {
            if (spec.PodFailurePolicy is not null && replacement != "Failed")
            {
                errors.Add(FieldErrors.NotSupported(path.Child("podReplacementPolicy"), replacement, ["Failed"]));
            }
            else if (spec.PodFailurePolicy is null && !ReplacementPolicies.Contains(replacement))
            {
                errors.Add(FieldErrors.NotSupported(path.Child("podReplacementPolicy"), replacement, ReplacementPolicies));
            }
        }

        PodSpecValidation.ValidateTemplate(spec.Template, path.Child("template"), errors);
        var restartPolicy = spec.Template?.Spec?.RestartPolicy ?? "";
        var restartPath = path.Child("template").Child("spec").Child("restartPolicy");
        if (restartPolicy is "Always" or "")
        {
            errors.Add(FieldErrors.Required(restartPath, "valid values: \"OnFailure\", \"Never\""));
        }
        else if (restartPolicy is not ("OnFailure" or "Never"))
        {
            errors.Add(FieldErrors.NotSupported(restartPath, restartPolicy, ["OnFailure", "Never"]));
        }
        else if (spec.PodFailurePolicy is not null && restartPolicy != "Never")
        {
            errors.Add(FieldErrors.Invalid(restartPath, restartPolicy, "only \"Never\" is supported when podFailurePolicy is specified"));
        }
    }

    /// <summary>The bounds of an Indexed job's maxFailedIndexes, tighter when backoffLimitPerIndex comes with many completions.</summary>
    private static void ValidateFailedIndexes(V1JobSpec spec, FieldPath specPath, List<FieldError> errors)
    {
        var path = specPath.Child("maxFailedIndexes");
        if (spec.MaxFailedIndexes is { } maxFailed && maxFailed > spec.Completions)
        {
            errors.Add(FieldErrors.Invalid(path, maxFailed, "must be less than or equal to completions"));
        }

        if (spec.MaxFailedIndexes > MaxFailedIndexesForIndexedJob)
        {
            errors.Add(FieldErrors.Invalid(path, spec.MaxFailedIndexes.Value, $"must be less than or equal to {MaxFailedIndexesForIndexedJob}"));
        }

        if (spec.Completions is not > CompletionsSoftLimit || spec.BackoffLimitPerIndex is null)
        {
            return;
        }

        var detail = $"when completions are above {CompletionsSoftLimit} and used with backoff limit per index";
        if (spec.MaxFailedIndexes is null)
        {
            errors.Add(FieldErrors.Required(path, $"must be specified when completions is above {CompletionsSoftLimit}"));
        }

        if (spec.Parallelism > ParallelismLimitForHighCompletions)
        {
            errors.Add(FieldErrors.Invalid(specPath.Child("parallelism"), spec.Parallelism.Value,
                $"must be less than or equal to {ParallelismLimitForHighCompletions} {detail}"));
        }

        if (spec.MaxFailedIndexes > MaxFailedIndexesLimitForHighCompletions)
        {
            errors.Add(FieldErrors.Invalid(path, spec.MaxFailedIndexes.Value, $"must be less than or equal to {MaxFailedIndexesLimitForHighCompletions} {detail}"));
        }
    }

    // Indexed jobs may scale completions together with parallelism; otherwise completions are fixed.
    private static void ValidateCompletionsUpdate(V1JobSpec spec, V1JobSpec oldSpec, List<FieldError> errors)
    {
        var path = Spec.Child("completions");
        if (spec.CompletionMode != "Indexed")
        {
            if (spec.Completions != oldSpec.Completions)
            {
                errors.Add(FieldErrors.Immutable(path, spec.Completions));
            }

            return;
        }

        if (spec.Completions != oldSpec.Completions && spec.Completions is { } completions && completions != spec.Parallelism)
        {
            errors.Add(FieldErrors.Invalid(path, completions, "can only be modified in tandem with spec.parallelism"));
        }
    }

    /// <summary>
    /// The template is immutable, except that a suspended job that never started may change its scheduling
    /// directives (node selector, tolerations, affinity, scheduling gates) and its template metadata.
    /// </summary>
    private static void ValidateTemplateUpdate(V1JobSpec spec, V1JobSpec oldSpec, List<FieldError> errors)
    {
        var template = spec.Template ?? new V1PodTemplateSpec();
        var oldTemplate = oldSpec.Template ?? new V1PodTemplateSpec();
        if (oldSpec.Suspend == true)
        {
            oldTemplate = SemanticEquality.Clone(oldTemplate);
            oldTemplate.Metadata = template.Metadata;
            var oldPodSpec = oldTemplate.Spec ??= new V1PodSpec();
            var podSpec = template.Spec ?? new V1PodSpec();
            oldPodSpec.NodeSelector = podSpec.NodeSelector;
            oldPodSpec.Tolerations = podSpec.Tolerations;
            oldPodSpec.Affinity = podSpec.Affinity;
            oldPodSpec.SchedulingGates = podSpec.SchedulingGates;
        }

        if (!SemanticEquality.AreEqual(template, oldTemplate))
        {
            errors.Add(FieldErrors.Immutable(Spec.Child("template"), GoValue.Struct("core.PodTemplateSpec")));
        }
    }

    private static void ValidateUnchanged(string? value, string? old, FieldPath path, List<FieldError> errors)
    {
        if (value != old)
        {
            errors.Add(FieldErrors.Immutable(path, value));
        }
    }

    // A null selector matches nothing, so a job without one is also told its template does not match.
    private static LabelSelector? TryParse(V1LabelSelector? selector)
    {
        try
        {
            return LabelSelector.FromModel(selector);
        }
        catch (SelectorParseException)
        {
            return null;
        }
    }
}
