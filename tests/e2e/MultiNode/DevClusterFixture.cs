using System.Diagnostics;
using System.Globalization;
using Gantry.E2E.Harness;
using Xunit;

namespace Gantry.E2E.MultiNode;

/// <summary>
/// Runs <c>gantry dev cluster --nodes 3</c> (the built out/gantry/gantry) in the background for the collection,
/// and stops it with SIGTERM afterwards, which deletes the cluster's pods and removes its hosts.
/// </summary>
public sealed class DevClusterFixture : IAsyncLifetime
{
    public const int Nodes = 3;
    private const string ReadyPrefix = "ready: kubeconfig at ";
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(120);
    private readonly List<string> _lines = [];
    private Process? _process;

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "gantry-e2e-dev-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

    public string KubeconfigPath { get; private set; } = "";

    /// <summary>The gantry binary the cluster runs, for <c>gantry dev cut/heal</c>.</summary>
    public string GantryBinary { get; } = RepoPaths.GantryBinary;

    public string Output()
    {
        lock (_lines)
        {
            return string.Join('\n', _lines);
        }
    }

    public async Task InitializeAsync()
    {
        var start = new ProcessStartInfo(GantryBinary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "dev", "cluster", "--nodes", Nodes.ToString(CultureInfo.InvariantCulture), "--data-dir", DataDir, "--api-port", "6443" })
        {
            start.ArgumentList.Add(argument);
        }

        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data, ready);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data, ready);
        _process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("gantry dev cluster exited:\n" + Output()));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        KubeconfigPath = await ready.Task.WaitAsync(StartPatience).ConfigureAwait(false);
    }

    public async Task DisposeAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            using var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await term.WaitForExitAsync().ConfigureAwait(false);
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            try
            {
                await _process.WaitForExitAsync(patience.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        var exitCode = _process.ExitCode;
        _process.Dispose();
        // The hosts' logs are kept when the teardown failed, for whoever looks into it.
        if (exitCode == 0 && Directory.Exists(DataDir))
        {
            Directory.Delete(DataDir, recursive: true);
        }
    }

    public Kubectl CreateKubectl(Action<string> log) =>
        new(RepoPaths.KubectlBinary, KubeconfigPath, Path.Combine(DataDir, "kubectl-cache"), log, () => null);

    private void OnLine(string? line, TaskCompletionSource<string> ready)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }

        if (line.StartsWith(ReadyPrefix, StringComparison.Ordinal))
        {
            ready.TrySetResult(line[ReadyPrefix.Length..].Trim());
        }
    }
}
