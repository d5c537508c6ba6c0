using System.Diagnostics;
using System.Text;

namespace Gantry.NetworkTests;

/// <summary>Runs host commands (ip, busybox, bash) for the tests, which check the network from outside the product.</summary>
internal static class Host
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] command)
    {
        using var process = Process.Start(StartInfo(command))!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{string.Join(' ', command)}` did not finish within {Timeout}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs a command that must succeed and returns its stdout.</summary>
    public static async Task<string> CheckAsync(params string[] command)
    {
        var (exitCode, stdout, stderr) = await RunAsync(command);
        return exitCode == 0 ? stdout : throw new InvalidOperationException($"`{string.Join(' ', command)}` exited {exitCode}: {stderr}");
    }

    /// <summary>Starts a command that runs until it exits by itself or is disposed; its stdout is collected.</summary>
    public static BackgroundProcess Start(params string[] command) => new(Process.Start(StartInfo(command))!);

    private static ProcessStartInfo StartInfo(string[] command)
    {
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var argument in command.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }
}
