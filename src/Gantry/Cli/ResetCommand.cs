using Gantry.Agent;
using Gantry.Agent.Cleanup;
using Gantry.Agent.Network;
using Microsoft.Extensions.Logging;

namespace Gantry.Cli;

/// <summary>
/// <c>gantry reset [--data-dir DIR] [--force]</c>: the inverse of <c>gantry up</c> and <c>gantry agent</c> on this host,
/// as <c>kubeadm reset</c> is of <c>kubeadm init</c>: stopping gantry leaves its pods running (an agent restart must
/// not touch them), so this is how they, their sandboxes and the data directory go for good. Stale sandboxes of
/// clusters whose data directory was deleted by hand are removed too. Asks first, as kubeadm does, unless forced.
/// </summary>
public static class ResetCommand
{
    public const string Usage = """
          gantry reset [--data-dir DIR] [--force]           stop the node's pods, undo their sandboxes, delete DIR
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var force = args.Any(a => a is "--force" or "-f");
        var flags = Flags.Parse([.. args.Where(a => a is not ("--force" or "-f"))]);
        var dataDirectory = flags.DataDirectory;
        if (!force && !Confirmed(dataDirectory))
        {
            Console.Error.WriteLine("reset: aborted");
            return 1;
        }

        using var loggerFactory = Logging.CreateFactory();
        using var stop = new CancellationTokenSource();
        using var signals = Signals.StopOn(stop);
        var progress = new LineProgress(Console.Out, "reset: ");
        var state = AgentOptions.StateDirectoryIn(dataDirectory);
        try
        {
            if (Directory.Exists(state))
            {
                await new NodeReset(state, loggerFactory).RunAsync(progress, stop.Token).ConfigureAwait(false);
            }

            var stale = await new StaleSandboxSweep(AgentRegistry.Host, loggerFactory.CreateLogger<StaleSandboxSweep>()).RunAsync(stop.Token)
                .ConfigureAwait(false);
            if (stale > 0)
            {
                progress.Report($"removed {stale} stale network namespaces of deleted clusters");
            }

            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
                progress.Report($"deleted {dataDirectory}");
            }
            else
            {
                progress.Report($"{dataDirectory} does not exist");
            }

            return 0;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException or NetworkCommandException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 1;
        }
    }

    private static bool Confirmed(string dataDirectory)
    {
        Console.Error.Write($"reset: this stops the pods this node runs, removes their sandboxes and deletes {dataDirectory}. Proceed? [y/N]: ");
        var answer = Console.In.ReadLine();
        if (answer is null)
        {
            // End of input: nothing was typed, so the terminal echoed no newline.
            Console.Error.WriteLine();
        }

        return answer?.Trim().ToLowerInvariant() is "y" or "yes";
    }
}
