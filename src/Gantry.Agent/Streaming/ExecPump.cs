using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Streaming;

/// <summary>
/// Runs one command for one client: starts it, copies the streams both ways, passes resizes on,
/// and reports the exit code once the command has exited and its output has been delivered.
/// </summary>
internal static class ExecPump
{
    /// <param name="attach">An attach: failures to start read as the kubelet's attach failures, and the end is always Success.</param>
    /// <exception cref="OperationCanceledException">The client went away or <paramref name="cancellationToken"/> fired.</exception>
    public static async Task RunAsync(
        IExecChannels channels, IExecTarget target, ExecRequest request, bool attach, ILogger logger, CancellationToken cancellationToken)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, channels.ClientGone);
        var token = session.Token;

        IExecProcess process;
        try
        {
            process = await target.StartAsync(request, token);
        }
        catch (Exception ex) when (!token.IsCancellationRequested)
        {
            StreamingLog.ExecStartFailed(logger, ex);
            await channels.FinishAsync(ExecStatus.InternalError(
                attach ? $"error attaching to container: {ex.Message}" : $"error executing command in container: {ex.Message}"), token);
            return;
        }

        await using (process)
        {
            var stdin = ForwardInputAsync(channels.Stdin, process.StandardInput, token);
            var resizes = ForwardResizesAsync(channels.Resize, process, logger, token);
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

    private static async Task ForwardResizesAsync(Stream? client, IExecProcess process, ILogger logger, CancellationToken cancellationToken)
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
                await process.ResizeAsync(size, cancellationToken);
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
