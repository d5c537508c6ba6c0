namespace Gantry.Agent.Serving;

/// <summary>
/// Reads a container's log file as <c>kubectl logs</c> asks: the last N lines, at most N bytes,
/// and, with follow, everything appended until the container's log stops growing for good.
/// </summary>
public static class ContainerLogReader
{
    private static readonly TimeSpan FollowPoll = TimeSpan.FromMilliseconds(200);

    public static async Task CopyAsync(
        string path, Stream output, int? tailLines, long? limitBytes, bool follow, Func<Task<bool>> stillRunning, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        file.Position = tailLines is { } lines ? TailOffset(file, lines) : 0;
        var remaining = limitBytes ?? long.MaxValue;
        var buffer = new byte[64 * 1024];
        while (remaining > 0)
        {
            var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken).ConfigureAwait(false);
            if (read > 0)
            {
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                remaining -= read;
                continue;
            }

            if (!follow)
            {
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

    /// <summary>The offset where the last <paramref name="lines"/> lines begin.</summary>
    private static long TailOffset(FileStream file, int lines)
    {
        if (lines <= 0)
        {
            return file.Length;
        }

        var position = file.Length;
        var seen = 0;
        var buffer = new byte[8192];
        if (position > 0)
        {
            file.Position = position - 1;
            if (file.ReadByte() == '\n')
            {
                position--;
            }
        }

        while (position > 0)
        {
            var chunk = (int)Math.Min(buffer.Length, position);
            position -= chunk;
            file.Position = position;
            file.ReadExactly(buffer, 0, chunk);
            for (var i = chunk - 1; i >= 0; i--)
            {
                if (buffer[i] == '\n' && ++seen == lines)
                {
                    return position + i + 1;
                }
            }
        }

        return 0;
    }
}
