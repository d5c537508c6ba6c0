namespace Gantry.Agent.Streaming;

/// <summary>
/// A command started by an <see cref="IExecTarget"/>. The session copies the client's streams to
/// and from it, sends resizes, and reports the exit code the way kubectl expects.
/// </summary>
/// <remarks>
/// Disposal happens after the session has sent the exit status, or earlier when the client goes
/// away; a process still running then should be terminated.
/// </remarks>
public interface IExecProcess : IAsyncDisposable
{
    /// <summary>
    /// The command's standard input (writable), or null when stdin was not requested. The session
    /// disposes it when the client closes its stdin, which must deliver end-of-file to the command.
    /// </summary>
    Stream? StandardInput { get; }

    /// <summary>
    /// The command's standard output (readable), or its terminal under TTY. The session reads it to
    /// end-of-file before reporting the exit status, so the end of output must be signalled.
    /// </summary>
    Stream? StandardOutput { get; }

    /// <summary>The command's standard error (readable), or null when not requested or under TTY.</summary>
    Stream? StandardError { get; }

    /// <summary>Applies a terminal size the client sent; only called under TTY.</summary>
    ValueTask ResizeAsync(TerminalSize size, CancellationToken cancellationToken);

    /// <summary>Waits for the command to exit and returns its exit code (128 + signal when killed).</summary>
    Task<int> WaitForExitAsync(CancellationToken cancellationToken);
}
