using System.Diagnostics;

namespace Gantry.E2E.Harness;

/// <summary>
/// A long-running command (e.g. <c>kubectl get -w</c>) whose output the test watches while it runs.
/// Disposing it kills it (whole tree) if it is still running.
/// </summary>
public sealed class BackgroundCommand : IAsyncDisposable
{
    private readonly Process _process;
    private StreamPump? _stdout;
    private StreamPump? _stderr;
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private readonly Func<string?> _note;

    private BackgroundCommand(Process process, string commandLine, Func<string?> note)
    {
        _process = process;
        CommandLine = commandLine;
        _note = note;
    }

    /// <summary>The command line, shell-quoted, for messages.</summary>
    public string CommandLine { get; }

    /// <summary>Whether the command has exited by itself or been killed.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Everything written to stdout so far.</summary>
    public string Stdout => _stdout?.Text ?? "";

    /// <summary>Everything written to stderr so far.</summary>
    public string Stderr => _stderr?.Text ?? "";

    /// <summary>Starts the command; stdin is closed immediately.</summary>
    public static BackgroundCommand Start(string fileName, IReadOnlyList<string> args, IReadOnlyDictionary<string, string?>? environment, Func<string?> note)
    {
        var psi = ProcessRunner.CreateStartInfo(fileName, args, environment);
        psi.RedirectStandardInput = true;
        var process = new Process { StartInfo = psi };
        var command = new BackgroundCommand(process, ProcessRunner.FormatCommandLine(fileName, args), note);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            process.Dispose();
            throw new InvalidOperationException($"Cannot start '{fileName}': {ex.Message}", ex);
        }

        command._stdout = StreamPump.Start(process.StandardOutput);
        command._stderr = StreamPump.Start(process.StandardError);
        process.StandardInput.Close();
        return command;
    }

    /// <summary>
    /// Waits until <paramref name="condition"/> holds for the stdout seen so far, or fails the test with
    /// everything the command printed. Also fails early when the command exits without satisfying it.
    /// </summary>
    public Task WaitForStdoutAsync(Func<string, bool> condition, TimeSpan timeout, string what) =>
        WaitForOutputAsync((stdout, _) => condition(stdout), timeout, what);

    /// <summary>As <see cref="WaitForStdoutAsync"/>, with the condition over (stdout, stderr).</summary>
    public async Task WaitForOutputAsync(Func<string, string, bool> condition, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (condition(Stdout, Stderr))
            {
                return;
            }

            if (_process.HasExited)
            {
                // Drain what the pipes still hold, then decide.
                await DrainAsync();
                if (condition(Stdout, Stderr))
                {
                    return;
                }

                throw new Xunit.Sdk.XunitException($"Background command exited before {what}.\n{Snapshot().Describe()}");
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new Xunit.Sdk.XunitException($"Timed out after {timeout.TotalSeconds:F0}s waiting for {what}.\n{Snapshot().Describe()}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits for the command to exit by itself within <paramref name="timeout"/>; kills it otherwise.</summary>
    public async Task<CommandResult> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var timedOut = false;
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            ProcessRunner.KillTree(_process);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        await DrainAsync();
        return Snapshot(timedOut);
    }

    /// <summary>What the command has done so far, as a result (exit code -1 while running).</summary>
    public CommandResult Snapshot(bool timedOut = false) =>
        new(CommandLine, _process.HasExited && !timedOut ? _process.ExitCode : -1, Stdout, Stderr, timedOut, _watch.Elapsed)
        {
            Note = JoinNotes(_process.HasExited ? null : "(the command was still running)", _note()),
        };

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        ProcessRunner.KillTree(_process);
        await _process.WaitForExitAsync(CancellationToken.None);
        _process.Dispose();
    }

    private static string? JoinNotes(string? a, string? b) =>
        a is null ? b : b is null ? a : a + "\n" + b;

    private async Task DrainAsync()
    {
        await _process.WaitForExitAsync(CancellationToken.None);
        var pumps = new[] { _stdout?.Completion, _stderr?.Completion }.OfType<Task>();
        await Task.WhenAny(Task.WhenAll(pumps), Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
    }
}
