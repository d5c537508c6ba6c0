using Gantry.Agent.Runtimes;

namespace Gantry.Agent.Serving;

/// <summary>
/// Reads a container's log as <c>kubectl logs</c> asks: from the last N lines, decoded as <see cref="ContainerLogDecoder"/>
/// shows them, and, with follow, everything appended until the container's log stops growing for good.
/// </summary>
public static class ContainerLogReader
{
    private static readonly TimeSpan FollowPoll = TimeSpan.FromMilliseconds(200);

    public static async Task CopyAsync(
        string path, Stream output, int? tailLines, ContainerLogView view, bool follow, Func<Task<bool>> stillRunning, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        file.Position = tailLines is { } lines ? ContainerLogs.TailOffset(file, lines) : 0;
        var decoder = new ContainerLogDecoder(view);
        while (!decoder.LimitReached)
        {
            var read = await file.ReadAsync(decoder.InputSpace(), cancellationToken).ConfigureAwait(false);
            if (read > 0)
            {
                decoder.Decode(read);
                await WriteAsync(decoder, output, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (!follow)
            {
                decoder.Finish();
                await WriteAsync(decoder, output, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (!await stillRunning().ConfigureAwait(false))
            {
                // One more pass: what the container wrote just before it exited.
                follow = false;
                continue;
            }

            await Task.Delay(FollowPoll, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task WriteAsync(ContainerLogDecoder decoder, Stream output, CancellationToken cancellationToken)
    {
        if (decoder.Output.IsEmpty)
        {
            return;
        }

        await output.WriteAsync(decoder.Output, cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        decoder.TakeOutput();
    }
}
