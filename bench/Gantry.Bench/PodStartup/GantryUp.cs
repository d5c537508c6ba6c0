using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Gantry.Harness;

namespace Gantry.Bench.PodStartup;

/// <summary>
/// A running <c>gantry up</c> (server and node agent in one process) on its own data directory,
/// port and node name. Besides the log tail for failure messages it keeps what the agent logs
/// per started container ("Started oci container … of pod NS/NAME in N ms"): the runtime's share
/// of each pod's startup, with no extra instrumentation.
/// </summary>
internal sealed partial class GantryUp : IDisposable
{
    private const string ReadyPrefix = "ready: kubeconfig at ";
    private const int LogLinesKept = 200;

    private readonly Process _process;
    private readonly StreamWriter _logFile;
    private readonly Queue<string> _log = new();
    private readonly Dictionary<string, double> _runtimeStartMs = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _disposed;

    private GantryUp(Process process, string dataDirectory, int port, string logPath)
    {
        _process = process;
        _logFile = new StreamWriter(logPath) { AutoFlush = true };
        LogPath = logPath;
        DataDirectory = dataDirectory;
        Port = port;
    }

    public string DataDirectory { get; }

    public int Port { get; }

    public int Pid => _process.Id;

    /// <summary>Everything gantry wrote, stdout and stderr interleaved.</summary>
    public string LogPath { get; }

    public Uri BaseAddress => new($"https://127.0.0.1:{Port}/");

    /// <param name="workingDirectory">
    /// An empty directory: the server watches its working directory with inotify (REPORT.md, bug 3),
    /// so starting it in or above the data directory would charge it for every write it makes.
    /// </param>
    public static async Task<GantryUp> StartAsync(string binary, string dataDirectory, string workingDirectory, string logPath, int port, string nodeName, TimeSpan readyTimeout)
    {
        var startInfo = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in (ReadOnlySpan<string>)["up", "--data-dir", dataDirectory, "--api-port", port.ToString(CultureInfo.InvariantCulture), "--node-name", nodeName])
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var gantry = new GantryUp(process, dataDirectory, port, logPath);
        process.OutputDataReceived += (_, e) => gantry.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => gantry.OnLine(e.Data);
        process.Exited += (_, _) =>
        {
            process.WaitForExit();
            gantry._ready.TrySetException(new InvalidOperationException($"gantry up exited with code {process.ExitCode} before it was ready.\n{gantry.LogTail()}"));
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await gantry._ready.Task.WaitAsync(readyTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            gantry.Dispose();
            throw new TimeoutException($"gantry up did not print '{ReadyPrefix}...' within {readyTimeout.TotalSeconds:0} s.\n{gantry.LogTail()}");
        }
        catch
        {
            gantry.Dispose();
            throw;
        }

        return gantry;
    }

    /// <summary>An HTTP client that trusts the cluster's CA and sends the admin token.</summary>
    public HttpClient CreateClient(int maxConnections, TimeSpan timeout)
    {
        var pki = Path.Combine(DataDirectory, "pki");
        var token = File.ReadAllText(Path.Combine(pki, "admin.token")).Trim();
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(pki, "ca.crt")));
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, certificate, _, errors) => Trusted(certificate, errors, ca) },
        };
        var client = new HttpClient(handler, disposeHandler: true) { BaseAddress = BaseAddress, Timeout = timeout };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>What the agent logged as the runtime's start time of the pod's (single) container, in ms.</summary>
    public double? RuntimeStartMs(string podName)
    {
        lock (_log)
        {
            return _runtimeStartMs.TryGetValue(podName, out var ms) ? ms : null;
        }
    }

    /// <summary>SIGTERM, then waits for a clean exit (the agent leaves running pods behind, so delete them first).</summary>
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
                _process.Kill(entireProcessTree: false);
                throw new TimeoutException($"gantry up did not exit within {timeout.TotalSeconds:0} s of SIGTERM.\n{LogTail()}");
            }
        }

        return _process.ExitCode;
    }

    /// <summary>The last lines gantry wrote, each cut short: enough to recognise a failure in the summary; the rest is in <see cref="LogPath"/>.</summary>
    public string LogTail(int lines = 10)
    {
        lock (_log)
        {
            return _log.Count == 0
                ? "(gantry wrote no output)"
                : $"gantry output (last lines; all of it in {LogPath}):\n  " + string.Join("\n  ", _log.TakeLast(lines).Select(l => l.Length > 300 ? l[..300] + " …" : l));
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
            _process.Kill(entireProcessTree: false);
            _process.WaitForExit();
        }

        _process.Dispose();
        lock (_log)
        {
            _logFile.Dispose();
        }
    }

    private static bool Trusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2 ca)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            if (!_disposed)
            {
                _logFile.WriteLine(line);
            }

            _log.Enqueue(line);
            if (_log.Count > LogLinesKept)
            {
                _log.Dequeue();
            }

            if (StartedLine().Match(line) is { Success: true } started)
            {
                _runtimeStartMs[started.Groups[1].Value] = double.Parse(started.Groups[2].Value, CultureInfo.InvariantCulture);
            }
        }

        if (line.StartsWith(ReadyPrefix, StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    // RuntimeLog.Started: "Started {Runtime} container {Id} ({Container} of pod {Namespace}/{Pod}) in {ElapsedMs} ms".
    [GeneratedRegex(@"Started \w+ container \w+ \(\S+ of pod [^/]+/(\S+)\) in (\d+) ms")]
    private static partial Regex StartedLine();
}
