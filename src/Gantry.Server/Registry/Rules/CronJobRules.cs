using System.Text.RegularExpressions;
using Gantry.Core.Cron;
using Gantry.Core.Resources;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// CronJobs (batch/v1): <c>SetDefaults_CronJob</c> and kube's <c>ValidateCronJobCreate</c>/<c>ValidateCronJobUpdate</c>.
/// The schedule must parse as robfig/cron's <c>ParseStandard</c> reads it, without <c>TZ=</c> (the time zone is
/// <c>spec.timeZone</c>), and the job template is validated as a Job's spec whose selector is yet to be generated.
/// </summary>
public sealed partial class CronJobRules() : ResourceRules<V1CronJob>(ResourceCatalog.Get("batch", "cronjobs"))
{
    /// <summary>A Job name (63 characters at most) less the 11 characters of the controller's <c>-&lt;minutes&gt;</c> suffix.</summary>
    public const int MaxNameLength = 52;

    private static readonly FieldPath Spec = FieldPath.Of("spec");
    private static readonly string[] ConcurrencyPolicies = ["Allow", "Forbid", "Replace"];

    protected override void Default(V1CronJob obj)
    {
        var spec = obj.Spec ??= new V1CronJobSpec();
        if (string.IsNullOrEmpty(spec.ConcurrencyPolicy))
        {
            spec.ConcurrencyPolicy = "Allow";
        }

        spec.Suspend ??= false;
        spec.SuccessfulJobsHistoryLimit ??= 3;
        spec.FailedJobsHistoryLimit ??= 1;
        var template = spec.JobTemplate ??= new V1JobTemplateSpec();
        PodSpecDefaults.DefaultTemplate((template.Spec ??= new V1JobSpec()).Template ??= new V1PodTemplateSpec());
    }

    protected override void Validate(V1CronJob obj, List<FieldError> errors)
    {
        ValidateSpec(obj.Spec ?? new V1CronJobSpec(), null, errors);
        var name = obj.Metadata?.Name ?? "";
        if (name.Length > MaxNameLength)
        {
            errors.Add(FieldErrors.Invalid(FieldPath.Of("metadata", "name"), name, $"must be no more than {MaxNameLength} characters"));
        }
    }

    // Without the name length check, so that a CronJob named before the limit existed can still be changed.
    protected override void ValidateUpdate(V1CronJob obj, V1CronJob old, List<FieldError> errors) =>
        ValidateSpec(obj.Spec ?? new V1CronJobSpec(), old.Spec ?? new V1CronJobSpec(), errors);

    // kube's cronJobStatusStrategy validates nothing of a status write.
    protected override void ValidateStatusUpdate(V1CronJob obj, V1CronJob old, List<FieldError> errors)
    {
    }

    private static void ValidateSpec(V1CronJobSpec spec, V1CronJobSpec? old, List<FieldError> errors)
    {
        var schedulePath = Spec.Child("schedule");
        if (string.IsNullOrEmpty(spec.Schedule))
        {
            errors.Add(FieldErrors.Required(schedulePath));
        }
        else
        {
            // A TZ in the schedule is tolerated only where the stored one already had it.
            ValidateSchedule(spec.Schedule, old?.Schedule?.Contains("TZ", StringComparison.Ordinal) == true, spec.TimeZone, errors);
        }

        ReplicaTemplateValidation.ValidateNonNegative(spec.StartingDeadlineSeconds, Spec.Child("startingDeadlineSeconds"), errors);
        if (old is null || old.TimeZone != spec.TimeZone)
        {
            ValidateTimeZone(spec.TimeZone, errors);
        }

        var policyPath = Spec.Child("concurrencyPolicy");
        if (string.IsNullOrEmpty(spec.ConcurrencyPolicy))
        {
            errors.Add(FieldErrors.Required(policyPath));
        }
        else if (!ConcurrencyPolicies.Contains(spec.ConcurrencyPolicy))
        {
            errors.Add(FieldErrors.NotSupported(policyPath, spec.ConcurrencyPolicy, ConcurrencyPolicies));
        }

        ValidateJobTemplate(spec.JobTemplate?.Spec ?? new V1JobSpec(), Spec.Child("jobTemplate").Child("spec"), errors);
        ReplicaTemplateValidation.ValidateNonNegative(spec.SuccessfulJobsHistoryLimit, Spec.Child("successfulJobsHistoryLimit"), errors);
        ReplicaTemplateValidation.ValidateNonNegative(spec.FailedJobsHistoryLimit, Spec.Child("failedJobsHistoryLimit"), errors);
    }

    private static void ValidateSchedule(string schedule, bool allowTimeZoneInSchedule, string? timeZone, List<FieldError> errors)
    {
        var path = Spec.Child("schedule");
        try
        {
            CronParser.Parse(schedule, TimeZoneInfo.Utc);
        }
        catch (CronFormatException ex)
        {
            errors.Add(FieldErrors.Invalid(path, schedule, ex.Message));
        }

        var hasTimeZone = schedule.Contains("TZ", StringComparison.Ordinal);
        if (allowTimeZoneInSchedule && hasTimeZone && timeZone is not null)
        {
            errors.Add(FieldErrors.Invalid(path, schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule"));
        }
        else if (!allowTimeZoneInSchedule && hasTimeZone)
        {
            errors.Add(FieldErrors.Invalid(path, schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
        }
    }

    /// <summary>An IANA name (its parts as the tz database's naming rules allow) of a zone the database holds; not "Local".</summary>
    private static void ValidateTimeZone(string? timeZone, List<FieldError> errors)
    {
        var path = Spec.Child("timeZone");
        if (timeZone is null)
        {
            return;
        }

        if (timeZone.Length == 0)
        {
            errors.Add(FieldErrors.Invalid(path, timeZone, "timeZone must be nil or non-empty string"));
            return;
        }

        if (timeZone.Split('/').Any(part => part is "." or ".." || part.StartsWith('-') || !TimeZonePart().IsMatch(part)))
        {
            errors.Add(FieldErrors.Invalid(path, timeZone, $"unknown time zone {timeZone}"));
            return;
        }

        if (string.Equals(timeZone, "Local", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(FieldErrors.Invalid(path, timeZone, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"));
        }

        if (TimeZones.Find(timeZone) is null)
        {
            errors.Add(FieldErrors.Invalid(path, timeZone, $"unknown time zone {timeZone}"));
        }
    }

    /// <summary>kube's <c>ValidateJobTemplateSpec</c>: a Job's spec, whose selector the Job's creation will generate.</summary>
    private static void ValidateJobTemplate(V1JobSpec spec, FieldPath path, List<FieldError> errors)
    {
        JobRules.ValidateSpec(spec, path, errors);
        if (spec.Selector is not null)
        {
            errors.Add(FieldErrors.Invalid(path.Child("selector"), GoValue.LabelSelector(spec.Selector), "`selector` will be auto-generated"));
        }

        if (spec.ManualSelector == true)
        {
            errors.Add(FieldErrors.NotSupported(path.Child("manualSelector"), true, ["nil", "false"]));
        }
    }

    // 0-9 and + are tolerated, as kube does, for legacy names such as Etc/GMT+5.
    [GeneratedRegex(@"^[A-Za-z\.\-_0-9+]{1,14}$")]
    private static partial Regex TimeZonePart();
}
