using Gantry.Agent.Cgroups;

namespace Gantry.Agent.Runtimes;

/// <summary>
/// The pod-level part of running pods: the pod cgroup (gantry/pods/&lt;uid&gt;) that carries the pod's
/// limits and parents every container cgroup. Runtimes ensure it on each start; the agent removes
/// it when the pod is gone from the node.
/// </summary>
public sealed class PodSandboxes(CgroupManager cgroups)
{
    public CgroupManager Cgroups => cgroups;

    /// <summary>Creates the pod cgroup, or updates its limits. Idempotent.</summary>
    public Task<Cgroup> EnsureAsync(PodSandboxInfo pod, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(cgroups.CreateOrUpdate(cgroups.PodPath(pod.Uid), pod.Limits));
    }

    /// <summary>
    /// Kills whatever still runs in the pod's cgroups and deletes them, in every hierarchy. Call
    /// after the pod's containers were removed; anything left over is killed, not waited for.
    /// </summary>
    public async Task RemoveAsync(string podUid, CancellationToken cancellationToken)
    {
        var cgroup = cgroups.Open(cgroups.PodPath(podUid));
        await cgroup.KillAllAsync(cancellationToken);
        await cgroup.DeleteAsync(cancellationToken);
    }
}
