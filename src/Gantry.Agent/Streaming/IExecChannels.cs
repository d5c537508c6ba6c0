namespace Gantry.Agent.Streaming;

/// <summary>
/// The client's side of an exec, independent of the transport: streams for what it sends and
/// receives, and the way to report the outcome and end the session.
/// </summary>
internal interface IExecChannels : IAsyncDisposable
{
    /// <summary>What the client types or pipes in; null unless stdin was requested. Ends when the client closes it.</summary>
    Stream? Stdin { get; }

    /// <summary>Terminal sizes as a sequence of JSON objects; null unless a TTY was requested.</summary>
    Stream? Resize { get; }

    /// <summary>Where standard output goes; disposing it tells the client the output is complete (where the transport can).</summary>
    Stream? Stdout { get; }

    /// <summary>Where standard error goes; disposing it tells the client the output is complete (where the transport can).</summary>
    Stream? Stderr { get; }

    /// <summary>Cancelled when the client has gone away.</summary>
    CancellationToken ClientGone { get; }

    /// <summary>Reports how the command ended and closes the session the way kubectl expects.</summary>
    Task FinishAsync(ExecStatus status, CancellationToken cancellationToken);
}
