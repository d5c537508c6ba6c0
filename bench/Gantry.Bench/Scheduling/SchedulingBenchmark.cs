using System.Globalization;
using Gantry.Bench.Reporting;
using Gantry.Harness;

namespace Gantry.Bench.Scheduling;

/// <summary>
/// <c>scheduling</c>: placements per second with N simulated nodes and M pods, the scheduler alone
/// in-process and end to end through a real server, as a markdown table for bench/REPORT.md.
/// </summary>
internal static class SchedulingBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = GantryBinary.RepositoryRoot();
        var options = SchedulingOptions.Parse(args, root);
        var lines = new List<string>
        {
            "| run | nodes | pods | anti-affinity | placed | first create → last bind | placements/s | p50 ms | p99 ms |",
            "|---|---:|---:|---|---:|---:|---:|---:|---:|",
        };
        var notes = new List<string>();
        if (options.Runs("framework"))
        {
            BenchContext.Progress($"framework alone: {options.Pods} pods over {options.Nodes} nodes");
            var framework = FrameworkRun.Measure(options).ToList();
            lines.Add(framework[0]);
            notes.AddRange(framework.Skip(1));
        }

        if (options.Runs("api"))
        {
            var dataDirectory = Path.Combine(options.DataRoot, "sched-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
            Directory.CreateDirectory(dataDirectory);
            var machine = MachineInfo.Collect(dataDirectory, root);
            notes.Add("");
            notes.AddRange(machine.Lines());
            try
            {
                var api = await ApiRun.MeasureAsync(options, GantryBinary.Locate(), dataDirectory).ConfigureAwait(false);
                lines.Add(api[0]);
                notes.AddRange(api.Skip(1));
            }
            finally
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }

        var command = "dotnet run -c Release --project bench/Gantry.Bench -- scheduling " + string.Join(' ', args);
        Console.Out.WriteLine($"`{command.TrimEnd()}` (load average at the end: {File.ReadAllText("/proc/loadavg").Trim()})");
        Console.Out.WriteLine();
        foreach (var line in lines.Concat(notes))
        {
            Console.Out.WriteLine(line);
        }

        return 0;
    }
}
