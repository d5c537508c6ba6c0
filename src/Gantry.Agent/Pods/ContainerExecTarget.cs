using Gantry.Agent.Streaming;
using RuntimeExecRequest = Gantry.Agent.Runtimes.ExecRequest;

namespace Gantry.Agent.Pods;

/// <summary><c>kubectl exec</c> into a container of a pod on this node, through its runtime.</summary>
public sealed class ContainerExecTarget(PodWorker pod) : IExecTarget
{
    public async Task<IExecProcess> StartAsync(ExecRequest request, CancellationToken cancellationToken)
    {
        var container = request.Container ?? pod.DefaultContainer;
        if (pod.Find(container, previous: false) is not { } target)
        {
            throw new InvalidOperationException($"container {container} is not running in pod {pod.Namespace}/{pod.Name}");
        }

        var session = await target.Runtime.ExecAsync(target.Handle, new RuntimeExecRequest(request.Command, request.Tty, request.InitialSize?.Width ?? 0, request.InitialSize?.Height ?? 0), cancellationToken)
            .ConfigureAwait(false);
        return new ExecProcess(session, request);
    }

    /// <summary>Presents the runtime's exec session with exactly the streams the client asked for.</summary>
    private sealed class ExecProcess(Runtimes.IExecSession session, ExecRequest request) : IExecProcess
    {
        public Stream? StandardInput => request.Stdin ? session.Stdin : null;

        public Stream? StandardOutput => request.Stdout ? session.Stdout : null;

        public Stream? StandardError => request.Stderr && !request.Tty ? session.Stderr : null;

        public ValueTask ResizeAsync(TerminalSize size, CancellationToken cancellationToken)
        {
            session.Resize(size.Width, size.Height);
            return ValueTask.CompletedTask;
        }

        public Task<int> WaitForExitAsync(CancellationToken cancellationToken) => session.WaitForExitAsync(cancellationToken);

        public ValueTask DisposeAsync() => session.DisposeAsync();
    }
}
