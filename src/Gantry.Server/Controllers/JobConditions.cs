using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// The job's status conditions as Kubernetes 1.32 writes them: the reasons and messages users and
/// <c>kubectl wait</c> see, and <c>ensureJobConditionStatus</c>'s rule for changing one.
/// </summary>
public static class JobConditions
{
    public const string Complete = "Complete";
    public const string Failed = "Failed";
    public const string FailureTarget = "FailureTarget";
    public const string SuccessCriteriaMet = "SuccessCriteriaMet";
    public const string Suspended = "Suspended";

    public const string CompletionsReached = "CompletionsReached";
    public const string CompletionsReachedMessage = "Reached expected number of succeeded pods";
    public const string JobSuspended = "JobSuspended";
    public const string JobSuspendedMessage = "Job suspended";
    public const string JobResumed = "JobResumed";
    public const string JobResumedMessage = "Job resumed";

    /// <summary>A job with a true Complete or Failed condition is done: the controller never touches it again.</summary>
    public static bool IsFinished(V1JobStatus? status) => IsTrue(status, Complete) || IsTrue(status, Failed);

    public static bool IsTrue(V1JobStatus? status, string type) =>
        status?.Conditions?.Any(c => c.Type == type && c.Status == "True") == true;

    /// <summary>
    /// Sets the condition of <paramref name="type"/>, in place when one exists, and says whether anything
    /// changed. A condition that would be added as False is not added: a job never suspended has no
    /// Suspended condition to resume.
    /// </summary>
    public static bool Ensure(V1JobStatus status, string type, bool value, string reason, string message, DateTime now)
    {
        var wanted = value ? "True" : "False";
        var conditions = status.Conditions ?? [];
        var existing = conditions.FirstOrDefault(c => c.Type == type);
        if (existing is null ? !value : existing.Status == wanted && existing.Reason == reason && existing.Message == message)
        {
            return false;
        }

        var condition = new V1JobCondition
        {
            Type = type, Status = wanted, Reason = reason, Message = message, LastProbeTime = now, LastTransitionTime = now,
        };
        status.Conditions = existing is null ? [.. conditions, condition] : [.. conditions.Select(c => c == existing ? condition : c)];
        return true;
    }
}
