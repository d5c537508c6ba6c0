using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Streaming;

/// <summary>
/// Runs one command for one client: starts it, copies the streams both ways, passes resizes on,
/// and reports the exit code once the command has exited and its output has been delivered.
/// </summary>
internal static class ExecPump
{
    /// <summary>How long a command on a terminal waits for the client's first size: kubectl sends it as the streams open.</summary>
    private static readonly TimeSpan InitialSizePatience = TimeSpan.FromMilliseconds(250);

    /// <param name="attach">An attach: failures to start read as the kubelet's attach failures, and the end is always Success.</param>
    /// <exception cref="OperationCanceledException">The client went away or <paramref name="cancellationToken"/> fired.</exception>
    public static async Task RunAsync(
        IExecChannels channels, IExecTarget target, ExecRequest request, bool attach, ILogger logger, CancellationToken cancellationToken)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, channels.ClientGone);
        var token = session.Token;
        var terminal = request.Tty ? new TerminalResizes() : null;
        var resizes = ForwardResizesAsync(channels.Resize, terminal, logger, token);

        IExecProcess process;
        TerminalSize? initialSize = null;
        try
        {
            if (terminal is not null && channels.Resize is not null)
            {
                initialSize = await terminal.FirstAsync(InitialSizePatience, token);
            }

            process = await target.StartAsync(request with { InitialSize = initialSize }, token);
        }
        catch (Exception ex) when (!token.IsCancellationRequested)
        {
            StreamingLog.ExecStartFailed(logger, ex);
            await channels.FinishAsync(ExecStatus.InternalError(
                attach ? $"error attaching to container: {ex.Message}" : $"error executing command in container: {ex.Message}"), token);
            await session.CancelAsync();
            await resizes;
            return;
        }

        await using (process)
        {
            if (terminal is not null)
            {
                await terminal.AttachAsync(process, initialSize, token);
            }

            var stdin = ForwardInputAsync(channels.Stdin, process.StandardInput, token);
            try
            {
                var stdout = ForwardOutputAsync(process.StandardOutput, channels.Stdout, token);
                var stderr = ForwardOutputAsync(process.StandardError, channels.Stderr, token);
                var exitCode = await process.WaitForExitAsync(token);
                await Task.WhenAll(stdout, stderr);
                token.ThrowIfCancellationRequested();
                StreamingLog.ExecExited(logger, exitCode);
                await channels.FinishAsync(exitCode == 0 || attach ? ExecStatus.Success : ExecStatus.NonZeroExitCode(request.Command, exitCode), token);
            }
            finally
            {
                // Input left unread belongs to a command that is over.
                await session.CancelAsync();
                await Task.WhenAll(stdin, resizes);
            }
        }
    }

    private static async Task ForwardInputAsync(Stream? client, Stream? command, CancellationToken cancellationToken)
    {
        if (client is not null)
        {
            await StreamPump.DrainAsync(client, command, cancellationToken);
        }

        // The command sees end-of-file on stdin once the client closes its stdin.
        if (command is not null)
        {
            await DisposeQuietlyAsync(command);
        }
    }

    private static async Task ForwardOutputAsync(Stream? command, Stream? client, CancellationToken cancellationToken)
    {
        if (command is not null)
        {
            await StreamPump.DrainAsync(command, client, cancellationToken);
        }

        if (client is not null)
        {
            await DisposeQuietlyAsync(client);
        }
    }

    /// <summary>Passes the client's sizes on to the terminal; without one (no TTY), they are read and dropped.</summary>
    private static async Task ForwardResizesAsync(Stream? client, TerminalResizes? terminal, ILogger logger, CancellationToken cancellationToken)
    {
        if (client is null)
        {
            return;
        }

        try
        {
            await foreach (var size in JsonSerializer.DeserializeAsyncEnumerable(
                client, StreamingJsonContext.Default.TerminalSize, topLevelValues: true, cancellationToken))
            {
                if (terminal is not null)
                {
                    await terminal.ResizeAsync(size, cancellationToken);
                }
            }
        }
        catch (Exception ex) when (ex is JsonException || StreamPump.IsPeerFailure(ex))
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                StreamingLog.ResizeStopped(logger, ex);
                await StreamPump.DrainAsync(client, null, cancellationToken);
            }
        }
    }

    private static async Task DisposeQuietlyAsync(Stream stream)
    {
        try
        {
            await stream.DisposeAsync();
        }
        catch (Exception ex) when (StreamPump.IsPeerFailure(ex))
        {
            // Closing a pipe whose reader is gone fails, and changes nothing.
        }
    }
}
