using Gantry.Agent.Runtimes;
using k8s.Models;

namespace Gantry.Agent.Lifecycle;

/// <summary>
/// Runs a container's postStart hook right after its start, as kubelet's startContainer does before it reports
/// the start: a hook that fails is reported, then the container is killed as kubelet's killContainer does (its
/// preStop hook included), and it restarts as its restartPolicy says.
/// </summary>
public sealed class PostStartHook(IContainerRuntime runtime, TimeProvider time)
{
    /// <summary>True when the container has no hook or its hook succeeded; false when it failed and the container was killed.</summary>
    /// <param name="failed">Called with kubelet's message when the hook fails, before the kill.</param>
    /// <param name="preStopFailed">Called with kubelet's message when the kill's preStop hook fails.</param>
    public async Task<bool> RunAsync(
        V1Pod pod, V1Container container, ContainerHandle handle, string? podIp, TimeSpan grace, Action<string> failed, Action<string> preStopFailed,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(failed);
        if (container.Lifecycle?.PostStart is not { } postStart)
        {
            return true;
        }

        var failure = await new LifecycleHookRunner(runtime, time).RunAsync(pod, container, handle, podIp, postStart, cancellationToken).ConfigureAwait(false);
        if (failure is null)
        {
            return true;
        }

        failed(failure);
        await new ContainerKiller(runtime, time).KillAsync(pod, container, handle, podIp, grace, preStopFailed, cancellationToken).ConfigureAwait(false);
        return false;
    }
}
