using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Gantry.E2E.Harness;

/// <summary>
/// One <c>gantry up</c> process: started on a data directory and port, ready when it prints
/// <c>ready: kubeconfig at PATH</c>, stopped with SIGTERM. Everything it prints is kept, numbered,
/// so tests can attach the server's output for the span of time they ran.
/// </summary>
public sealed partial class GantryServer : IAsyncDisposable
{
    /// <summary>The exact prefix of the one line <c>gantry up</c> prints when it serves requests.</summary>
    public const string ReadyPrefix = "ready: kubeconfig at ";

    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _readyLineCount;

    private GantryServer(Process process, string dataDir, int port)
    {
        _process = process;
        DataDir = dataDir;
        Port = port;
    }

    /// <summary>The data directory passed with <c>--data-dir</c>.</summary>
    public string DataDir { get; }

    /// <summary>The API port passed with <c>--api-port</c>.</summary>
    public int Port { get; }

    /// <summary>The kubeconfig path the ready line named (set once ready).</summary>
    public string? KubeconfigPath { get; private set; }

    /// <summary>How many stdout lines started with <see cref="ReadyPrefix"/>.</summary>
    public int ReadyLineCount => Volatile.Read(ref _readyLineCount);

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code once exited.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>How many output lines have been captured so far (a cursor for <see cref="OutputSince"/>).</summary>
    public int OutputLineCount { get { lock (_lines) { return _lines.Count; } } }

    /// <summary>Starts <c>gantry up --data-dir DIR --api-port PORT</c>; fails clearly when the binary is missing.</summary>
    public static GantryServer Start(string binary, string dataDir, int port)
    {
        if (!File.Exists(binary))
        {
            throw new InvalidOperationException(
                $"The gantry binary was not found at '{binary}'. Build it first with " +
                "`dotnet build src/Gantry -c Release -o out/gantry` from the repository root, " +
                "or point the GANTRY_BIN environment variable at it.");
        }

        var psi = ProcessRunner.CreateStartInfo(binary, ["up", "--data-dir", dataDir, "--api-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], null);
        psi.RedirectStandardInput = true;
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var server = new GantryServer(process, dataDir, port);
        process.OutputDataReceived += (_, e) => server.OnLine("out", e.Data);
        process.ErrorDataReceived += (_, e) => server.OnLine("err", e.Data);
        process.Exited += (_, _) => server._ready.TrySetException(new InvalidOperationException(
            $"gantry up exited with code {SafeExitCode(process)} before printing '{ReadyPrefix}…'.\n{server.OutputSince(0)}"));
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            process.Dispose();
            throw new InvalidOperationException($"Cannot start '{binary}': {ex.Message}. Is it executable?", ex);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Waits for the ready line; fails with the server's output when it dies or takes too long.</summary>
    public async Task<string> WaitUntilReadyAsync(TimeSpan timeout)
    {
        var finished = await Task.WhenAny(_ready.Task, Task.Delay(timeout));
        if (finished != _ready.Task)
        {
            throw new TimeoutException(
                $"gantry up did not print '{ReadyPrefix}…' within {timeout.TotalSeconds:F0}s.\n{OutputSince(0)}");
        }

        return await _ready.Task;
    }

    /// <summary>The captured output from line <paramref name="cursor"/> on, at most <paramref name="maxLines"/> (the last ones).</summary>
    public string OutputSince(int cursor, int maxLines = 400)
    {
        lock (_lines)
        {
            var from = Math.Max(cursor, _lines.Count - maxLines);
            var sb = new StringBuilder();
            if (from > cursor)
            {
                sb.Append("… (").Append(from - cursor).AppendLine(" earlier lines omitted)");
            }

            for (var i = from; i < _lines.Count; i++)
            {
                sb.AppendLine(_lines[i]);
            }

            return sb.ToString();
        }
    }

    /// <summary>
    /// Sends SIGTERM and waits up to <paramref name="grace"/> for exit. Returns true when it exited by itself;
    /// otherwise kills it (whole tree) and returns false.
    /// </summary>
    public async Task<bool> StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return true;
        }

        _ = SendSignal(_process.Id, SigTerm);
        using var cts = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            ProcessRunner.KillTree(_process);
            await _process.WaitForExitAsync(CancellationToken.None);
            return false;
        }
    }

    /// <summary>
    /// SIGKILLs the <c>gantry up</c> process alone (not what it launched: workloads run under shims
    /// that are not its children) and waits for it to be gone, as a crash or an OOM kill would.
    /// </summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }

        await _process.WaitForExitAsync(CancellationToken.None);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            ProcessRunner.KillTree(_process);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);

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

    private void OnLine(string stream, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add($"[gantry {stream} +{_clock.Elapsed.TotalSeconds:F2}s] {line}");
        }

        if (stream == "out" && line.StartsWith(ReadyPrefix, StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _readyLineCount);
            var path = line[ReadyPrefix.Length..].Trim();
            KubeconfigPath ??= path;
            _ready.TrySetResult(path);
        }
    }
}
