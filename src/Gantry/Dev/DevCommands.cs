using System.Diagnostics;

namespace Gantry.Dev;

/// <summary>Runs the host tools (<c>ip</c>, <c>nsenter</c>) the dev cluster is built with.</summary>
internal static class DevCommands
{
    /// <summary>Runs the command and returns its exit code and standard error.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string file, IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return (process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>Runs the command and fails with its error output unless it succeeds.</summary>
    public static async Task CheckedAsync(string file, params string[] arguments)
    {
        var (code, _, stderr) = await RunAsync(file, arguments).ConfigureAwait(false);
        if (code != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({code}): {stderr.Trim()}");
        }
    }

    /// <summary>Runs the command and ignores its failure: for undoing what may already be gone.</summary>
    public static async Task QuietAsync(string file, params string[] arguments) => await RunAsync(file, arguments).ConfigureAwait(false);
}
