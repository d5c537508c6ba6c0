using System.Text.Json.Nodes;
using Gantry.Server.Controllers;
using k8s.Models;

namespace Gantry.Server.Api;

/// <summary>
/// How an eviction spends a PodDisruptionBudget, as kube's eviction subresource decides it (pkg/registry/core/pod/storage,
/// <c>checkAndDecrement</c>): refused while the budget's controller has not seen its latest spec or allows no disruption;
/// otherwise one disruption fewer, and the pod recorded as disrupted so the controller stops counting it as healthy.
/// </summary>
public static class EvictionBudget
{
    /// <summary>kube's <c>MaxDisruptedPodSize</c>: evictions approved but not yet seen by the disruption controller.</summary>
    public const int MaxDisruptedPods = 2000;

    public const string BudgetViolated = "Cannot evict pod as it would violate the pod's disruption budget.";

    /// <summary>The status cause that names the budget (policy/v1's <c>DisruptionBudgetCause</c>).</summary>
    public const string DisruptionBudgetCause = "DisruptionBudget";

    /// <summary>
    /// Takes one disruption from <paramref name="pdb"/>'s status, in place, and (unless a dry run) records the pod as
    /// disrupted at <paramref name="now"/>.
    /// </summary>
    /// <exception cref="ApiException">429 when the budget refuses; 403 when its status is unusable.</exception>
    public static void CheckAndDecrement(V1PodDisruptionBudget pdb, string podName, DateTimeOffset now, bool dryRun)
    {
        ArgumentNullException.ThrowIfNull(pdb);
        var status = pdb.Status ??= new V1PodDisruptionBudgetStatus();
        var name = pdb.Metadata.Name;
        if ((status.ObservedGeneration ?? 0) < (pdb.Metadata.Generation ?? 0))
        {
            throw StillProcessing(name);
        }

        if (status.DisruptionsAllowed < 0)
        {
            throw Forbidden(name, "pdb disruptions allowed is negative");
        }

        if ((status.DisruptedPods?.Count ?? 0) > MaxDisruptedPods)
        {
            throw Forbidden(name, "DisruptedPods map too big - too many evictions not confirmed by PDB controller");
        }

        if (status.DisruptionsAllowed == 0)
        {
            throw ApiException.TooManyRequests(BudgetViolated, 0,
                (DisruptionBudgetCause, $"The disruption budget {name} needs {status.DesiredHealthy} healthy pods and has {status.CurrentHealthy} currently"));
        }

        status.DisruptionsAllowed--;
        if (status.DisruptionsAllowed == 0)
        {
            DisruptionAllowedCondition.Update(status, now);
        }

        if (dryRun)
        {
            return;
        }

        status.DisruptedPods ??= new Dictionary<string, DateTime?>(StringComparer.Ordinal);
        status.DisruptedPods[podName] = new DateTime(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
    }

    /// <summary>
    /// <c>createTooManyRequestsError</c>: the budget's controller has not caught up (with a changed spec, or with a pod
    /// that became ready meanwhile); a retry after a few seconds will find it has.
    /// </summary>
    public static ApiException StillProcessing(string pdbName) =>
        ApiException.TooManyRequests(BudgetViolated, 10, (DisruptionBudgetCause, $"The disruption budget {pdbName} is still being processed by the server."));

    /// <summary>kube's <c>NewForbidden(policy.Resource("poddisruptionbudget"), ...)</c>, which names the resource in the singular.</summary>
    private static ApiException Forbidden(string pdbName, string detail) =>
        new(403, "Forbidden", $"poddisruptionbudget.policy \"{pdbName}\" is forbidden: {detail}",
            new JsonObject { ["name"] = pdbName, ["group"] = "policy", ["kind"] = "poddisruptionbudget" });
}
