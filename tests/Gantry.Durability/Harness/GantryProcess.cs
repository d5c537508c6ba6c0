using System.Diagnostics;

namespace Gantry.Harness;

/// <summary>
/// A running <c>gantry server</c>: started on a data directory and port, ready once it printed
/// <c>ready: kubeconfig at PATH</c>. Keeps the tail of its log for failure messages.
/// </summary>
public sealed class GantryProcess : IDisposable
{
    private const string ReadyPrefix = "ready: kubeconfig at ";
    private const int LogLinesKept = 200;

    private readonly Process _process;
    private readonly Queue<string> _log = new();
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _disposed;

    private GantryProcess(Process process, string dataDirectory, int port)
    {
        _process = process;
        DataDirectory = dataDirectory;
        Port = port;
    }

    public string DataDirectory { get; }

    public int Port { get; }

    public int Pid => _process.Id;

    public Uri BaseAddress => new($"https://127.0.0.1:{Port}/");

    public string KubeconfigPath { get; private set; } = "";

    /// <param name="command">The binary's first argument: gantry's <c>server</c>, or another program that takes the same flags and says ready the same way.</param>
    /// <param name="moreArguments">Flags after the data directory and port.</param>
    public static async Task<GantryProcess> StartAsync(
        string binary, string dataDirectory, int port, TimeSpan readyTimeout, IReadOnlyDictionary<string, string>? environment = null, string command = "server", IReadOnlyList<string>? moreArguments = null)
    {
        var startInfo = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (ReadOnlySpan<string>)[command, "--data-dir", dataDirectory, "--api-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. moreArguments ?? []])
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var gantry = new GantryProcess(process, dataDirectory, port);
        // Both pipes are drained for the whole life of the process: a full pipe would stall its logging.
        process.OutputDataReceived += (_, e) => gantry.OnLine(e.Data, isStdout: true);
        process.ErrorDataReceived += (_, e) => gantry.OnLine(e.Data, isStdout: false);
        process.Exited += (_, _) =>
        {
            // WaitForExit() without a timeout also waits for the pipes to drain, so the log is complete.
            process.WaitForExit();
            gantry._ready.TrySetException(new InvalidOperationException(
                $"gantry exited with code {SafeExitCode(process)} before it was ready.\n{gantry.LogTail()}"));
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            gantry.KubeconfigPath = await gantry._ready.Task.WaitAsync(readyTimeout).ConfigureAwait(false);
            if (!File.Exists(gantry.KubeconfigPath))
            {
                throw new InvalidOperationException($"gantry said it was ready with a kubeconfig at {gantry.KubeconfigPath}, which does not exist.\n{gantry.LogTail()}");
            }
        }
        catch (TimeoutException)
        {
            gantry.Kill();
            gantry.Dispose();
            throw new TimeoutException($"gantry did not print '{ReadyPrefix}...' within {readyTimeout.TotalSeconds:0.#} s.\n{gantry.LogTail()}");
        }
        catch
        {
            gantry.Dispose();
            throw;
        }

        return gantry;
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }

        _process.WaitForExit();
    }

    /// <summary>SIGTERM and wait for a clean exit; SIGKILL if it does not come in time.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            _ = PosixSignals.Terminate(_process.Id);
            using var wait = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Kill();
                throw new TimeoutException($"gantry did not exit within {timeout.TotalSeconds:0.#} s of SIGTERM.\n{LogTail()}");
            }
        }

        return _process.ExitCode;
    }

    public string LogTail()
    {
        lock (_log)
        {
            return _log.Count == 0 ? "(gantry wrote no output)" : "gantry output (last lines):\n  " + string.Join("\n  ", _log);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    private static string SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }

    private void OnLine(string? line, bool isStdout)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.Enqueue(line);
            if (_log.Count > LogLinesKept)
            {
                _log.Dequeue();
            }
        }

        if (isStdout && line.StartsWith(ReadyPrefix, StringComparison.Ordinal))
        {
            _ready.TrySetResult(line[ReadyPrefix.Length..].Trim());
        }
    }
}
