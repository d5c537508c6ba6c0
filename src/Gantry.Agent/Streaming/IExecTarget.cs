namespace Gantry.Agent.Streaming;

/// <summary>
/// Where <c>kubectl exec</c> runs commands: one pod on this node, as the container runtime sees it.
/// The runtime implements this; <see cref="ExecSession"/> does the protocol work.
/// </summary>
public interface IExecTarget
{
    /// <summary>
    /// Starts <see cref="ExecRequest.Command"/> in the requested container with exactly the standard
    /// streams the request names (and a terminal when <see cref="ExecRequest.Tty"/> is set).
    /// </summary>
    /// <remarks>
    /// Any exception (unknown container, missing executable) is reported to the client as an internal
    /// error carrying the exception's message; kubectl prints it and exits with 1.
    /// </remarks>
    Task<IExecProcess> StartAsync(ExecRequest request, CancellationToken cancellationToken);
}
