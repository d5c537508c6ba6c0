using Gantry.Agent;
using Gantry.Agent.Cleanup;
using Microsoft.Extensions.Logging;

namespace Gantry.Cli;

/// <summary>
/// <c>gantry reset [--data-dir DIR]</c>: the inverse of <c>gantry up</c> and <c>gantry agent</c> on this host, as
/// <c>kubeadm reset</c> is of <c>kubeadm init</c>: stopping gantry leaves its pods running (an agent restart must not
/// touch them), so this is how they, their sandboxes and the data directory go for good. Stale sandboxes of clusters
/// whose data directory was deleted by hand are removed too.
/// </summary>
public static class ResetCommand
{
    public const string Usage = """
          gantry reset [--data-dir DIR]                     stop the node's pods, undo their sandboxes, delete DIR
        """;

    public static async Task<int> RunAsync(Flags flags)
    {
        using var loggerFactory = Logging.CreateFactory();
        using var stop = new CancellationTokenSource();
        using var signals = Signals.StopOn(stop);
        var progress = new LineProgress(Console.Out, "reset: ");
        var dataDirectory = flags.DataDirectory;
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

            return 0;
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 1;
        }
    }
}
