using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Gantry.E2E.Harness;

/// <summary>
/// One <c>gantry up</c> for the whole run: a fresh temporary data directory, a free port, a private
/// kubectl discovery cache. Stopped with SIGTERM at the end, then <c>gantry reset</c> removes the pods left running;
/// the run fails if gantry does not exit by itself (it is then killed), exits with a non-zero status, or the reset fails.
/// </summary>
public sealed class GantryFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ResetTimeout = TimeSpan.FromSeconds(120);

    private readonly IMessageSink _sink;
    private GantryServer? _server;

    /// <summary>Created by xunit once per collection.</summary>
    public GantryFixture(IMessageSink sink)
    {
        _sink = sink;
        WorkDir = Path.Combine(Path.GetTempPath(), "gantry-e2e-" + Guid.NewGuid().ToString("N")[..10]);
        DataDir = Path.Combine(WorkDir, "data");
        CacheDir = Path.Combine(WorkDir, "kube-cache");
    }

    /// <summary>The temporary folder holding everything this run writes.</summary>
    public string WorkDir { get; }

    /// <summary>The data directory given to <c>gantry up</c>.</summary>
    public string DataDir { get; }

    /// <summary>kubectl's <c>--cache-dir</c> for this run.</summary>
    public string CacheDir { get; }

    /// <summary>The running server.</summary>
    public GantryServer Server => _server ?? throw new InvalidOperationException("The gantry fixture did not start.");

    /// <summary>The kubeconfig path the server announced on its ready line.</summary>
    public string KubeconfigPath { get; private set; } = "";

    /// <summary>The kubectl binary under test (KUBECTL or <c>kubectl</c>).</summary>
    public string KubectlBinary { get; } = RepoPaths.KubectlBinary;

    /// <summary>How long <c>gantry up</c> took to print its ready line.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>The server's base URL.</summary>
    public string BaseUrl => $"https://127.0.0.1:{Server.Port}";

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDir);
        Directory.CreateDirectory(CacheDir);
        var binary = RepoPaths.GantryBinary;
        var watch = Stopwatch.StartNew();
        _server = GantryServer.Start(binary, DataDir, FreeTcpPort());
        KubeconfigPath = await _server.WaitUntilReadyAsync(StartupTimeout);
        StartupTime = watch.Elapsed;
        _sink.OnMessage(new DiagnosticMessage(
            $"gantry up ready in {StartupTime.TotalSeconds:F1}s on port {_server.Port} (data {DataDir}); kubectl = {KubectlBinary}"));
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_server is null)
        {
            return;
        }

        var exitedByItself = await _server.StopAsync(StopGrace);
        var exitCode = _server.ExitCode;
        var output = _server.OutputSince(0, maxLines: 200);
        await _server.DisposeAsync();
        if (Environment.GetEnvironmentVariable("GANTRY_E2E_KEEP") is null)
        {
            // Pods outlive gantry by design; left running, each run's would pile up on the host (and their
            // sandboxes on the node bridge, which takes 1,024 ports).
            var leftovers = NodeLeftovers.Collect(DataDir);
            var reset = await ProcessRunner.RunAsync(RepoPaths.GantryBinary, ["reset", "--force", "--data-dir", DataDir], null, null, ResetTimeout);
            _sink.OnMessage(new DiagnosticMessage($"gantry reset: {reset.Stdout.Trim()}"));
            TryDelete(WorkDir);
            if (!reset.Succeeded)
            {
                throw new InvalidOperationException($"gantry reset failed after the run.\n{reset.Describe()}");
            }

            if (leftovers.Remaining() is { Count: > 0 } remaining)
            {
                throw new InvalidOperationException($"gantry reset left the run's pods on the host: {string.Join(", ", remaining)}");
            }
        }

        if (!exitedByItself)
        {
            throw new InvalidOperationException(
                $"gantry up did not exit within {StopGrace.TotalSeconds:F0}s of SIGTERM and was killed.\n{output}");
        }

        if (exitCode != 0)
        {
            throw new InvalidOperationException($"gantry up exited with code {exitCode} after SIGTERM (expected 0).\n{output}");
        }
    }

    /// <summary>
    /// SIGKILLs the running <c>gantry up</c> and starts a new one on the same data directory and port,
    /// returning once it is ready (tests of one collection run one after another, so the next test
    /// finds a serving cluster). Returns what the killed process printed last, for the test's output.
    /// </summary>
    public async Task<string> KillAndRestartAsync()
    {
        var killed = Server;
        await killed.KillAsync();
        var lastOutput = killed.OutputSince(0, maxLines: 80);
        await killed.DisposeAsync();
        _server = GantryServer.Start(RepoPaths.GantryBinary, DataDir, killed.Port);
        var kubeconfig = await _server.WaitUntilReadyAsync(StartupTimeout);
        if (kubeconfig != KubeconfigPath)
        {
            throw new InvalidOperationException($"The restarted gantry up wrote its kubeconfig to {kubeconfig}, not {KubeconfigPath}.");
        }

        _sink.OnMessage(new DiagnosticMessage($"gantry up SIGKILLed and restarted on port {_server.Port} (data {DataDir})"));
        return lastOutput;
    }

    /// <summary>A kubectl helper that logs every call to <paramref name="log"/>.</summary>
    public Kubectl CreateKubectl(Action<string> log) =>
        new(KubectlBinary, KubeconfigPath, CacheDir, log, ServerNote);

    /// <summary>A note for failure messages when the server has died under a test, else null.</summary>
    public string? ServerNote() =>
        _server is { HasExited: true }
            ? $"gantry up has EXITED (code {_server.ExitCode}). Its last output:\n{_server.OutputSince(0, maxLines: 60)}"
            : null;

    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
