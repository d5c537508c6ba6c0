using System.Text;

namespace Gantry.E2E.Harness;

/// <summary>
/// Copies a process's output stream into a buffer exactly as written (no line splitting, no added newlines),
/// so <c>-o jsonpath</c> output without a trailing newline stays that way and partial lines of a watch are visible.
/// </summary>
internal sealed class StreamPump
{
    private readonly StringBuilder _buffer = new();

    private StreamPump(StreamReader reader)
    {
        Completion = Task.Run(() => PumpAsync(reader));
    }

    /// <summary>Completes when the stream reaches end of file.</summary>
    public Task Completion { get; }

    /// <summary>Starts copying <paramref name="reader"/>.</summary>
    public static StreamPump Start(StreamReader reader) => new(reader);

    /// <summary>Everything read so far.</summary>
    public string Text
    {
        get
        {
            lock (_buffer)
            {
                return _buffer.ToString();
            }
        }
    }

    private async Task PumpAsync(StreamReader reader)
    {
        var chunk = new char[4096];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(chunk.AsMemory())) > 0)
            {
                lock (_buffer)
                {
                    _buffer.Append(chunk, 0, read);
                }
            }
        }
        catch (IOException)
        {
            // The process went away mid-read; what was read is kept.
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
