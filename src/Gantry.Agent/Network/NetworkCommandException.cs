namespace Gantry.Agent.Network;

/// <summary>
/// A host command the pod network depends on (<c>ip</c>, a CNI plugin) failed, timed out or could not be
/// started. The message names the command and carries what it printed on stderr, so the operator can rerun it.
/// </summary>
public class NetworkCommandException : Exception
{
    public NetworkCommandException()
    {
    }

    public NetworkCommandException(string message)
        : base(message)
    {
    }

    public NetworkCommandException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public NetworkCommandException(string message, string command, int? exitCode, string stderr, Exception? innerException = null)
        : base(message, innerException)
    {
        Command = command;
        ExitCode = exitCode;
        Stderr = stderr;
    }

    /// <summary>The command line that failed.</summary>
    public string Command { get; } = "";

    /// <summary>The exit status; null when the command never finished (timeout) or never started.</summary>
    public int? ExitCode { get; }

    public string Stderr { get; } = "";
}
