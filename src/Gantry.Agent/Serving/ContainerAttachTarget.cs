using Gantry.Agent.Pods;
using Gantry.Agent.Runtimes;
using Gantry.Agent.Streaming;
using ExecRequest = Gantry.Agent.Streaming.ExecRequest;

namespace Gantry.Agent.Serving;

/// <summary>
/// <c>kubectl attach</c> to a container of a pod on this node: its main process's output from now
/// on and, for containers with <c>stdin: true</c>, its standard input, through the runtime.
/// </summary>
internal sealed class ContainerAttachTarget(PodWorker pod, TimeProvider time) : IExecTarget
{
    public async Task<IExecProcess> StartAsync(ExecRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var container = request.Container ?? pod.DefaultContainer;
        if (request.Tty)
        {
            // kubectl asks for a terminal exactly when the container spec has tty: true.
            throw new NotSupportedException(
                $"container {container} has tty: true, and this node runs containers without a terminal; attach to it without a TTY is not possible either (use kubectl logs -f, or tty: false)");
        }

        if (pod.Find(container, previous: false) is not { } target ||
            await target.Runtime.StatusAsync(target.Handle, cancellationToken) is not ContainerRunning)
        {
            throw new InvalidOperationException($"container {container} is not running in pod {pod.Namespace}/{pod.Name}");
        }

        var (runtime, handle) = target;
        var stdin = request.Stdin ? runtime.OpenStdin(handle) : null;
        return new AttachedContainer(
            request,
            runtime.LogPath(handle),
            stdin,
            async token => await runtime.StatusAsync(handle, token) is ContainerRunning,
            time);
    }
}
