using Gantry.Agent.Runtimes;
using k8s.Models;

namespace Gantry.Agent.Lifecycle;

/// <summary>
/// Stops a container as kubelet's killContainer does: its preStop hook first, given the whole grace period, then
/// SIGTERM with what the hook left of it (<see cref="PreStopGrace"/>). A hook that fails or outlasts the grace period
/// does not hold the stop back; one still running when the container is gone is abandoned without a report.
/// </summary>
public sealed class ContainerKiller(IContainerRuntime runtime, TimeProvider time)
{
    /// <param name="preStopFailed">Called with kubelet's message when the preStop hook fails before the stop.</param>
    public async Task KillAsync(
        V1Pod pod, V1Container container, ContainerHandle handle, string? podIp, TimeSpan grace, Action<string> preStopFailed,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(preStopFailed);
        if (container.Lifecycle?.PreStop is not { } preStop || grace <= TimeSpan.Zero)
        {
            await runtime.StopAsync(handle, grace, cancellationToken).ConfigureAwait(false);
            return;
        }

        using var hookLifetime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var started = time.GetTimestamp();
        var hook = RunPreStopAsync(pod, container, handle, podIp, preStop, preStopFailed, hookLifetime.Token);
        try
        {
            using (var graceOver = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                await Task.WhenAny(hook, Task.Delay(grace, time, graceOver.Token)).ConfigureAwait(false);
                await graceOver.CancelAsync().ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            await runtime.StopAsync(handle, PreStopGrace.Remaining(grace, time.GetElapsedTime(started)), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await hookLifetime.CancelAsync().ConfigureAwait(false);
            await hook.ConfigureAwait(false);
        }
    }

    private async Task RunPreStopAsync(
        V1Pod pod, V1Container container, ContainerHandle handle, string? podIp, V1LifecycleHandler preStop, Action<string> failed,
        CancellationToken cancellationToken)
    {
        try
        {
            var failure = await new LifecycleHookRunner(runtime, time).RunAsync(pod, container, handle, podIp, preStop, cancellationToken)
                .ConfigureAwait(false);
            if (failure is not null && !cancellationToken.IsCancellationRequested)
            {
                failed(failure);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Outlived the container: kubelet forgets such a hook too.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A hook that cannot even be sent (a malformed URL) fails like any other, and the stop goes on.
            failed(ex.Message);
        }
    }
}
