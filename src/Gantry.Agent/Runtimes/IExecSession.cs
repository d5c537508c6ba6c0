namespace Gantry.Agent.Runtimes;

/// <summary>
/// A command running inside a container. The caller pumps the streams (the exec streaming protocol
/// lives elsewhere) and then awaits the exit code. Disposing kills the command if it still runs.
/// </summary>
public interface IExecSession : IAsyncDisposable
{
    /// <summary>The command's standard input; close it to send end-of-file.</summary>
    Stream Stdin { get; }

    Stream Stdout { get; }

    /// <summary>Standard error; empty for a <see cref="ExecRequest.Tty"/> session, whose terminal merges it into stdout.</summary>
    Stream Stderr { get; }

    Task<int> WaitForExitAsync(CancellationToken cancellationToken);

    /// <summary>Sets the size of a <see cref="ExecRequest.Tty"/> session's terminal; nothing for a session without one.</summary>
    void Resize(ushort columns, ushort rows);
}
