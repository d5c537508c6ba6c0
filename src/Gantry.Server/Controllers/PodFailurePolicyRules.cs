using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// A Job's <c>podFailurePolicy</c>, matched against a failed pod as kube's matchPodFailurePolicy does: the rules in
/// order, the first that matches deciding. A rule matches on a container (a regular one first, then an init one, of the
/// named container or any) that ended with a non-zero exit code <c>In</c> or <c>NotIn</c> its values, or on a pod
/// condition of its type and status. <c>FailJob</c> fails the job; <c>FailIndex</c> fails the pod's index at once (a job
/// with <c>backoffLimitPerIndex</c>); <c>Ignore</c> keeps the failure out of the counts that <c>backoffLimit</c> and
/// <c>backoffLimitPerIndex</c> bound; <c>Count</c> counts it, as does no match.
/// </summary>
public static class PodFailurePolicyRules
{
    public const string Reason = "PodFailurePolicy";

    public const string FailJob = "FailJob";

    public const string FailIndex = "FailIndex";

    public const string Ignore = "Ignore";

    /// <summary>The action of the first rule the failed pod matches, with kube's message; null when none matches.</summary>
    public static (string Action, string Message)? Match(V1PodFailurePolicy? policy, V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var rules = policy?.Rules ?? [];
        for (var index = 0; index < rules.Count; index++)
        {
            var rule = rules[index];
            if (rule.OnExitCodes is { } onExitCodes && MatchingContainer(pod, onExitCodes) is { } container)
            {
                return (rule.Action, $"Container {container.Name} for pod {pod.Namespace()}/{pod.Name()} failed with exit code " +
                                     $"{container.State.Terminated.ExitCode} matching {rule.Action} rule at index {index}");
            }

            if (rule.OnPodConditions?.FirstOrDefault(p => pod.Status?.Conditions?.Any(c => c.Type == p.Type && c.Status == (p.Status ?? "True")) == true)
                is { } pattern)
            {
                return (rule.Action, $"Pod {pod.Namespace()}/{pod.Name()} has condition {pattern.Type} matching {rule.Action} rule at index {index}");
            }
        }

        return null;
    }

    private static V1ContainerStatus? MatchingContainer(V1Pod pod, V1PodFailurePolicyOnExitCodesRequirement requirement) =>
        (pod.Status?.ContainerStatuses ?? []).Concat(pod.Status?.InitContainerStatuses ?? []).FirstOrDefault(status =>
            status.State?.Terminated is { ExitCode: not 0 } terminated &&
            (requirement.ContainerName is null || requirement.ContainerName == status.Name) &&
            requirement.Values.Contains(terminated.ExitCode) == (requirement.OperatorProperty == "In"));
}
