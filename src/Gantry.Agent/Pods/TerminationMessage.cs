using System.Text;
using Gantry.Agent.Runtimes;

namespace Gantry.Agent.Pods;

/// <summary>
/// The message of a terminated container's status, as kubelet's getTerminationMessage and
/// readLastStringFromContainerLogs make it: the last 4096 bytes of the file the container wrote at its
/// terminationMessagePath; with <c>FallbackToLogsOnError</c>, when that is empty (or there is no file) and the exit
/// code is not 0, the last 80 lines of its log, at most 2048 bytes.
/// </summary>
public static class TerminationMessage
{
    public const string FallbackToLogsOnError = "FallbackToLogsOnError";

    /// <summary>kubecontainer.MaxContainerTerminationMessageLength.</summary>
    public const int MaxLength = 4096;

    /// <summary>kubecontainer.MaxContainerTerminationMessageLogLines.</summary>
    public const int MaxLogLines = 80;

    /// <summary>kubecontainer.MaxContainerTerminationMessageLogLength.</summary>
    public const int MaxLogLength = 2048;

    /// <summary>Reads the message of an instance that exited with <paramref name="exitCode"/>; <paramref name="file"/> is null when it had none.</summary>
    public static string Read(string? file, string? policy, int exitCode, string logPath)
    {
        var fallbackToLogs = policy == FallbackToLogsOnError && exitCode != 0;
        byte[] written;
        try
        {
            written = file is null ? [] : ReadEnd(file, MaxLength);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            written = [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"Error on reading termination log {file}: {ex.Message}";
        }

        return Of(written, fallbackToLogs, () => LogEndOrNothing(logPath));
    }

    /// <summary>The message from what the container wrote (its last bytes) and, when that is empty and <paramref name="fallbackToLogs"/>, its log's end.</summary>
    public static string Of(ReadOnlySpan<byte> written, bool fallbackToLogs, Func<byte[]> logEnd)
    {
        ArgumentNullException.ThrowIfNull(logEnd);
        if (written.Length > 0)
        {
            return Encoding.UTF8.GetString(written[Math.Max(0, written.Length - MaxLength)..]);
        }

        return fallbackToLogs ? Encoding.UTF8.GetString(LogTail(logEnd())) : "";
    }

    /// <summary>
    /// The last <see cref="MaxLogLines"/> lines, then the last <see cref="MaxLogLength"/> bytes of them, as kubelet's
    /// tail (which keeps as many newlines as lines asked for) and circular buffer cut them.
    /// </summary>
    public static ReadOnlySpan<byte> LogTail(ReadOnlySpan<byte> log)
    {
        var start = 0;
        var newlines = 0;
        for (var i = log.Length - 1; i >= 0; i--)
        {
            if (log[i] == (byte)'\n' && ++newlines > MaxLogLines)
            {
                start = i + 1;
                break;
            }
        }

        var tail = log[start..];
        return tail[Math.Max(0, tail.Length - MaxLogLength)..];
    }

    /// <summary>What the log's last <see cref="MaxLogLines"/> records hold, as kubelet reads them with a tail of as many lines.</summary>
    private static byte[] LogEndOrNothing(string path)
    {
        try
        {
            return ContainerLogs.ReadContent(path, MaxLogLines);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static byte[] ReadEnd(string path, int length)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var start = Math.Max(0, stream.Length - length);
        stream.Seek(start, SeekOrigin.Begin);
        var bytes = new byte[stream.Length - start];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
