using System.Globalization;
using Gantry.Dev;

namespace Gantry.Cli;

/// <summary>
/// <c>gantry dev cluster --nodes N [--data-dir DIR] [--api-port PORT]</c>: a multi-node cluster of network
/// namespaces on this machine, for tests and demos; <c>gantry dev cut HOST</c> and <c>gantry dev heal HOST</c>
/// take a host's link down and up.
/// </summary>
public static class DevClusterCommand
{
    public const string Usage = """
          gantry dev cluster --nodes N [--data-dir DIR] [--api-port PORT]
                                                            run an N-host cluster of network namespaces (gdev-h0…) until Ctrl-C
          gantry dev cut HOST | gantry dev heal HOST        take a dev host's link down / bring it back
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 2 && args[0] is "cut" or "heal")
        {
            if (DevHosts.IndexOf(args[1]) is null)
            {
                throw new UsageException($"HOST must be a dev cluster host like {DevHosts.Name(1)}, not \"{args[1]}\"");
            }

            await DevHosts.SetLinkAsync(args[1], up: args[0] == "heal").ConfigureAwait(false);
            Console.WriteLine($"{args[1]} {(args[0] == "cut" ? "cut off" : "back")}");
            return 0;
        }

        if (args.Length == 0 || args[0] != "cluster")
        {
            throw new UsageException("use gantry dev cluster --nodes N, gantry dev cut HOST or gantry dev heal HOST");
        }

        var rest = args[1..].ToList();
        var nodes = 3;
        var at = rest.FindIndex(a => a == "--nodes" || a.StartsWith("--nodes=", StringComparison.Ordinal));
        if (at >= 0)
        {
            var text = rest[at].Contains('=', StringComparison.Ordinal) ? rest[at][8..] : at + 1 < rest.Count ? rest[at + 1] : "";
            rest.RemoveRange(at, rest[at].Contains('=', StringComparison.Ordinal) ? 1 : Math.Min(2, rest.Count - at));
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out nodes) || nodes is < 1 or > DevHosts.MaxHosts)
            {
                throw new UsageException($"--nodes must be a number from 1 to {DevHosts.MaxHosts}, not \"{text}\"");
            }
        }

        var dataDirGiven = rest.Any(a => a.StartsWith("--data-dir", StringComparison.Ordinal));
        var flags = Flags.Parse([.. rest]);
        var dataDir = dataDirGiven ? flags.DataDirectory : Path.Combine(Path.GetTempPath(), "gantry-dev-cluster");
        using var stop = new CancellationTokenSource();
        using var signals = Signals.StopOn(stop);
        try
        {
            return await new DevCluster(new DevClusterOptions(nodes, dataDir, flags.ApiPort), Console.Out).RunAsync(stop.Token).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 1;
        }
    }
}
