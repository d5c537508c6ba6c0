using System.Globalization;
using Gantry.Agent;
using Gantry.Agent.Cleanup;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Bench;

/// <summary>
/// Where one run of a bench that starts its own cluster keeps its files: the cluster's data
/// directory, an empty working directory for the server (it watches its working directory with
/// inotify, REPORT.md bug 3) and gantry.log. Reset and removed after a clean run (pods outlive
/// gantry, so the node is reset first); a failed run, or one asked to keep its data, leaves it for
/// whoever looks into it.
/// </summary>
internal sealed record BenchRunDirectory(string Root)
{
    public string DataDirectory => Path.Combine(Root, "data");

    public string WorkingDirectory => Path.Combine(Root, "cwd");

    public string LogPath => Path.Combine(Root, "gantry.log");

    /// <summary>A fresh directory named <paramref name="prefix"/>-yyyyMMdd-HHmmss under <paramref name="dataRoot"/>.</summary>
    public static BenchRunDirectory Create(string dataRoot, string prefix)
    {
        var run = new BenchRunDirectory(Path.Combine(dataRoot, prefix + "-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)));
        Directory.CreateDirectory(run.DataDirectory);
        Directory.CreateDirectory(run.WorkingDirectory);
        return run;
    }

    public async Task FinishAsync(bool keep)
    {
        if (keep)
        {
            BenchContext.Progress($"kept {Root} (gantry.log, the cluster's data dir); 'gantry reset --force --data-dir {DataDirectory}' removes its pods");
            return;
        }

        var state = AgentOptions.StateDirectoryIn(DataDirectory);
        if (Directory.Exists(state))
        {
            await new NodeReset(state, NullLoggerFactory.Instance).RunAsync(new Progress<string>(), CancellationToken.None).ConfigureAwait(false);
        }

        Directory.Delete(Root, recursive: true);
    }
}
