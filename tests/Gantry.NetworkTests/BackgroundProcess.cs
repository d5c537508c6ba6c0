using System.Diagnostics;

namespace Gantry.NetworkTests;

/// <summary>A command left running while a test does something else, killed on dispose if still alive.</summary>
internal sealed class BackgroundProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;

    public BackgroundProcess(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
    }

    /// <summary>Waits for the command to exit by itself and returns what it printed.</summary>
    public async Task<string> OutputAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
        return await _stdout;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
