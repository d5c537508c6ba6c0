using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Gantry.Agent.Network;

/// <summary>Runs a host command to completion under a deadline, feeding it stdin and capturing its output.</summary>
internal static class HostCommand
{
    /// <summary>
    /// Runs <paramref name="command"/> and returns whatever it exited with. A command that outlives
    /// <paramref name="timeout"/> is killed with its children and reported as a <see cref="NetworkCommandException"/>;
    /// one cancelled through <paramref name="cancellationToken"/> is killed the same way and the cancellation propagates.
    /// </summary>
    public static async Task<CommandOutput> RunAsync(
        CommandLine command,
        TimeSpan timeout,
        CancellationToken cancellationToken,
        string? stdin = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in command.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new NetworkCommandException(
                $"cannot start `{command}`: {ex.Message}; run scripts/bootstrap to install the network tools",
                command.ToString(), null, "", ex);
        }

        // Both pipes are drained while the command runs: a full pipe would otherwise block it forever.
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            try
            {
                if (stdin is not null)
                {
                    await process.StandardInput.WriteAsync(stdin.AsMemory(), deadline.Token);
                }

                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The command exited without reading its input; its exit status says why.
            }

            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            var seconds = timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            var partial = (await stderr).Trim();
            throw new NetworkCommandException(
                $"`{command}` did not finish within {seconds}s and was killed" + (partial.Length > 0 ? $": {partial}" : ""),
                command.ToString(), null, partial);
        }

        return new CommandOutput(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs <paramref name="command"/> and fails with its stderr unless it exits 0.</summary>
    public static async Task<CommandOutput> RunCheckedAsync(CommandLine command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var output = await RunAsync(command, timeout, cancellationToken);
        if (output.ExitCode != 0)
        {
            throw Failure(command, output);
        }

        return output;
    }

    public static NetworkCommandException Failure(CommandLine command, CommandOutput output)
    {
        var stderr = output.Stderr.Trim();
        return new NetworkCommandException(
            $"`{command}` failed with exit code {output.ExitCode}" + (stderr.Length > 0 ? $": {stderr}" : ""),
            command.ToString(), output.ExitCode, stderr);
    }
}
