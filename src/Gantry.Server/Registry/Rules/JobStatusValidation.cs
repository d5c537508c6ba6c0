using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// The rules of kube 1.32's job status validation (<c>validateJobStatus</c>, with the options its job strategy turns on)
/// that say a finished job has let go of its pods: once Complete or Failed is true, no pod is active, terminating or
/// waiting in <c>uncountedTerminatedPods</c>. Each is checked only when the job's finishing or the field itself changes,
/// as kube does, so that an update unrelated to a status already stored that way still goes through.
/// </summary>
internal static class JobStatusValidation
{
    private static readonly FieldPath Status = FieldPath.Of("status");

    public static void ValidateUpdate(V1Job job, V1Job old, List<FieldError> errors)
    {
        var status = job.Status ?? new V1JobStatus();
        var oldStatus = old.Status ?? new V1JobStatus();
        var finished = IsFinished(status);
        var finishedChanged = finished != IsFinished(oldStatus);
        if (finished && (finishedChanged || status.Active != oldStatus.Active) && status.Active > 0)
        {
            errors.Add(FieldErrors.Invalid(Status.Child("active"), status.Active, "active>0 is invalid for finished job"));
        }

        if (finished && (finishedChanged || !SameUncounted(status, oldStatus)) && Uncounted(status) > 0)
        {
            errors.Add(FieldErrors.Invalid(Status.Child("uncountedTerminatedPods"), GoValue.Struct("batch.UncountedTerminatedPods"),
                "uncountedTerminatedPods needs to be empty for finished job"));
        }

        if (finished && (finishedChanged || status.Terminating != oldStatus.Terminating) && status.Terminating > 0)
        {
            errors.Add(FieldErrors.Invalid(Status.Child("terminating"), status.Terminating, "terminating>0 is invalid for finished job"));
        }
    }

    private static bool IsFinished(V1JobStatus status) =>
        status.Conditions?.Any(c => c.Type is "Complete" or "Failed" && c.Status == "True") == true;

    private static int Uncounted(V1JobStatus status) =>
        (status.UncountedTerminatedPods?.Succeeded?.Count ?? 0) + (status.UncountedTerminatedPods?.Failed?.Count ?? 0);

    private static bool SameUncounted(V1JobStatus status, V1JobStatus old) =>
        (status.UncountedTerminatedPods?.Succeeded ?? []).SequenceEqual(old.UncountedTerminatedPods?.Succeeded ?? [])
        && (status.UncountedTerminatedPods?.Failed ?? []).SequenceEqual(old.UncountedTerminatedPods?.Failed ?? []);
}
