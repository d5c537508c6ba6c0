using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// The decisions of Kubernetes' job controller as pure functions: how many pods should run, when
/// the job has failed (backoffLimit, activeDeadlineSeconds) or completed, and how long to wait
/// before replacing a failed pod (10 s doubling per failure, at most 6 minutes).
/// </summary>
public static class JobMath
{
    public const string BackoffLimitExceeded = "BackoffLimitExceeded";
    public const string DeadlineExceeded = "DeadlineExceeded";

    private static readonly TimeSpan BaseBackoff = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(6);

    /// <summary>
    /// Active pods wanted: none when suspended; without completions, parallelism until one pod
    /// succeeds; otherwise the remaining completions, at most parallelism (<c>manageJob</c>).
    /// </summary>
    public static int WantActive(V1Job job, int succeeded)
    {
        var spec = job.Spec;
        if (spec.Suspend == true)
        {
            return 0;
        }

        var parallelism = spec.Parallelism ?? 1;
        if (spec.Completions is not { } completions)
        {
            return succeeded > 0 ? 0 : parallelism;
        }

        return Math.Max(0, Math.Min(completions - succeeded, parallelism));
    }

    /// <summary>The failure that ends the job, if any: too many failed pods (or restarts, for OnFailure), or a passed deadline.</summary>
    public static (string Reason, string Message)? Failure(V1Job job, int failed, int restartsOfActive, DateTimeOffset? start, DateTimeOffset now)
    {
        var backoffLimit = job.Spec.BackoffLimit ?? 6;
        var onFailure = job.Spec.Template?.Spec?.RestartPolicy == "OnFailure";
        if (failed > backoffLimit || (onFailure && backoffLimit > 0 && restartsOfActive >= backoffLimit) || (onFailure && backoffLimit == 0 && failed > 0))
        {
            return (BackoffLimitExceeded, "Job has reached the specified backoff limit");
        }

        if (job.Spec.ActiveDeadlineSeconds is { } deadline && start is { } started && now - started >= TimeSpan.FromSeconds(deadline))
        {
            return (DeadlineExceeded, "Job was active longer than specified deadline");
        }

        return null;
    }

    /// <summary>With completions, that many successes; without, one success and no pod still running.</summary>
    public static bool IsComplete(V1Job job, int succeeded, int active) =>
        job.Spec.Completions is { } completions ? succeeded >= completions : succeeded > 0 && active == 0;

    /// <summary>How long to hold back new pods after <paramref name="failed"/> failures, the last at <paramref name="lastFailure"/>.</summary>
    public static TimeSpan RemainingBackoff(int failed, DateTimeOffset? lastFailure, DateTimeOffset now)
    {
        if (failed == 0 || lastFailure is not { } last)
        {
            return TimeSpan.Zero;
        }

        var delay = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, BaseBackoff.Ticks << Math.Min(failed - 1, 10)));
        var remaining = last + delay - now;
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }

    /// <summary>When a failed pod finished: its last container's termination, else its last condition change.</summary>
    public static DateTimeOffset? FinishedAt(V1Pod pod)
    {
        var finished = (pod.Status?.ContainerStatuses ?? []).Select(c => c.State?.Terminated?.FinishedAt)
            .Concat((pod.Status?.Conditions ?? []).Select(c => c.LastTransitionTime))
            .Where(t => t is not null).Select(t => t!.Value).DefaultIfEmpty().Max();
        return finished == default ? null : new DateTimeOffset(DateTime.SpecifyKind(finished, DateTimeKind.Utc));
    }
}
