using System.Diagnostics;

namespace Gantry.Agent.Images;

/// <summary>
/// Runs a short-lived helper program (cp, busybox, runc) to completion and captures its output.
/// Not for workloads: those never have the agent as their parent.
/// </summary>
internal static class ExternalCommand
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public Result ThrowOnFailure(string what) =>
            ExitCode == 0 ? this : throw new IOException($"{what} failed with exit code {ExitCode}: {Stderr.Trim()}");
    }

    public static async Task<Result> RunAsync(string program, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new IOException($"could not start {program}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
