using Gantry.Agent.Probes;
using Gantry.Agent.Runtimes;
using k8s.Models;

namespace Gantry.Agent.Lifecycle;

/// <summary>
/// Runs a container's postStart or preStop handler (exec, httpGet or sleep) as kubelet's handlerRunner does, reusing
/// the probes' exec and HTTP clients. Nothing bounds a hook but the caller's token: kubelet runs an exec hook with no
/// timeout, bounds preStop by the grace period (<see cref="ContainerKiller"/>) and waits for postStart.
/// </summary>
public sealed class LifecycleHookRunner(IContainerRuntime runtime, TimeProvider time)
{
    /// <summary>Null when the hook succeeded; otherwise kubelet's message for the log (events carry none, lest it leak a secret).</summary>
    public async Task<string?> RunAsync(
        V1Pod pod, V1Container container, ContainerHandle handle, string? podIp, V1LifecycleHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(handler);
        var where = $"for Container \"{container.Name}\" in Pod \"{pod.Metadata.Name}_{pod.Metadata.NamespaceProperty}({pod.Metadata.Uid})\" failed";
        if (handler.Exec is { } exec)
        {
            var command = exec.Command?.ToList() ?? [];
            var outcome = await ExecProber.ProbeAsync(runtime, handle, command, Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            return outcome.Result == ProbeResult.Success
                ? null
                : $"Exec lifecycle hook ([{string.Join(' ', command)}]) {where} - error: {outcome.Error ?? $"command '{string.Join(' ', command)}' failed"}, message: \"{outcome.Output}\"";
        }

        if (handler.HttpGet is { } httpGet)
        {
            string? error;
            try
            {
                var outcome = await HttpGetProber.LifecycleAsync(HttpProbeRequest.For(httpGet, container, podIp), cancellationToken).ConfigureAwait(false);
                error = outcome.Result == ProbeResult.Success ? null : outcome.Output;
            }
            catch (InvalidOperationException ex)
            {
                // A port name the container does not declare.
                error = ex.Message;
            }

            return error is null ? null : $"HTTP lifecycle hook ({httpGet.Path}) {where} - error: {error}";
        }

        if (handler.Sleep is { } sleep)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(sleep.Seconds), time, cancellationToken).ConfigureAwait(false);
                return null;
            }
            catch (OperationCanceledException)
            {
                return $"Sleep lifecycle hook ({sleep.Seconds}) {where} - error: container terminated before sleep hook finished";
            }
        }

        return "Cannot run handler: invalid handler";
    }
}
