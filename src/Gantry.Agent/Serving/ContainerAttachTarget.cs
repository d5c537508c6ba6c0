using Gantry.Agent.Pods;
using Gantry.Agent.Runtimes;
using Gantry.Agent.Streaming;
using ExecRequest = Gantry.Agent.Streaming.ExecRequest;

namespace Gantry.Agent.Serving;

/// <summary>
/// <c>kubectl attach</c> to a container of a pod on this node: its main process's output from now
/// on (its terminal's, with <c>tty: true</c>) and, for containers with <c>stdin: true</c>, its standard input, through the runtime.
/// </summary>
internal sealed class ContainerAttachTarget(PodWorker pod, TimeProvider time) : IExecTarget
{
    public async Task<IExecProcess> StartAsync(ExecRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var container = request.Container ?? pod.DefaultContainer;
        if (pod.Find(container, previous: false) is not { } target ||
            await target.Runtime.StatusAsync(target.Handle, cancellationToken) is not ContainerRunning)
        {
            throw new InvalidOperationException($"container {container} is not running in pod {pod.Namespace}/{pod.Name}");
        }

        var (runtime, handle) = target;

        // kubectl asks for a terminal exactly when the container spec has tty: true.
        var terminal = request.Tty
            ? runtime.OpenTerminal(handle) ?? throw new NotSupportedException(
                $"container {container} has tty: true, but the {runtime.Name} runtime ran it without a terminal; use kubectl logs -f, or tty: false")
            : null;
        if (terminal is not null && request.InitialSize is { } size)
        {
            await terminal.ResizeAsync(size.Width, size.Height, cancellationToken);
        }

        var stdin = request.Stdin ? runtime.OpenStdin(handle) : null;
        return new AttachedContainer(
            request,
            runtime.LogPath(handle),
            terminal,
            stdin,
            async token => await runtime.StatusAsync(handle, token) is ContainerRunning,
            time);
    }
}
