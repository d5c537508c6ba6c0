using System.Diagnostics;
using System.Text;

namespace Gantry.E2E.Harness;

/// <summary>Runs a program to completion with optional stdin, extra environment and a deadline.</summary>
public static class ProcessRunner
{
    /// <summary>
    /// Starts <paramref name="fileName"/> with <paramref name="args"/>, feeds <paramref name="stdin"/> (then closes it),
    /// and waits for exit. On timeout the whole process tree is killed and the result says so. With
    /// <paramref name="keepStdinOpen"/> stdin stays open until the program exits.
    /// </summary>
    public static async Task<CommandResult> RunAsync(
        string fileName,
        IReadOnlyList<string> args,
        string? stdin,
        IReadOnlyDictionary<string, string?>? environment,
        TimeSpan timeout,
        bool keepStdinOpen = false,
        CancellationToken cancellationToken = default)
    {
        var psi = CreateStartInfo(fileName, args, environment);
        psi.RedirectStandardInput = true;
        var commandLine = FormatCommandLine(fileName, args);
        var watch = Stopwatch.StartNew();

        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"Cannot start '{fileName}': {ex.Message}. Is it installed and on PATH (or set the KUBECTL / GANTRY_BIN variable)?", ex);
        }

        var stdout = StreamPump.Start(process.StandardOutput);
        var stderr = StreamPump.Start(process.StandardError);
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin.AsMemory(), cancellationToken);
            }

            if (keepStdinOpen)
            {
                await process.StandardInput.FlushAsync(cancellationToken);
            }
            else
            {
                process.StandardInput.Close();
            }
        }
        catch (IOException)
        {
            // The program exited without reading its input; its exit status tells the story.
        }

        var timedOut = false;
        using (var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            cts.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                KillTree(process);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }

        // Drain the pipes (a killed tree closes them); a grandchild holding them open gets a short grace.
        await Task.WhenAny(Task.WhenAll(stdout.Completion, stderr.Completion), Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
        return new CommandResult(commandLine, timedOut ? -1 : process.ExitCode, stdout.Text, stderr.Text, timedOut, watch.Elapsed);
    }

    internal static ProcessStartInfo CreateStartInfo(string fileName, IReadOnlyList<string> args, IReadOnlyDictionary<string, string?>? environment)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                if (value is null)
                {
                    psi.Environment.Remove(key);
                }
                else
                {
                    psi.Environment[key] = value;
                }
            }
        }

        return psi;
    }

    internal static string FormatCommandLine(string fileName, IEnumerable<string> args) =>
        string.Join(' ', new[] { fileName }.Concat(args).Select(Quote));

    internal static void KillTree(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_=./:,@%+".Contains(c, StringComparison.Ordinal))
            ? arg
            : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
