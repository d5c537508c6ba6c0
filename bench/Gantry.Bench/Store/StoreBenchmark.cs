using System.Diagnostics;
using System.Globalization;
using Gantry.Harness;
using Gantry.Server.Storage;

namespace Gantry.Bench.Store;

/// <summary>
/// <c>store</c>: gantry's store alone, in this process: concurrent writers commit each key a few times (a pod's create,
/// bind and status), and the run reports commits per second, this process's CPU per commit and the bytes it handed
/// the kernel to write per commit (SQLite's log and the checkpoints that copy it into the database file).
/// </summary>
internal static class StoreBenchmark
{
    public const string Usage =
        """
        usage: Gantry.Bench store [flags]
          --keys N               keys written (default 50000)
          --writes N             commits per key (default 3: a pod's create, bind and status)
          --value-bytes N        size of each value (default 2400, a simulated node's Running pod)
          --writers N            concurrent writers (default 64)
          --data-root DIR        where the store's directory goes (default out/bench-data)
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var (keys, writes, valueBytes, writers) = (50_000, 3, 2400, 64);
        string? dataRoot = null;
        foreach (var (name, flag) in FlagPairs.Of(args, Usage))
        {
            switch (name)
            {
                case "--keys": keys = int.Parse(flag, CultureInfo.InvariantCulture); break;
                case "--writes": writes = int.Parse(flag, CultureInfo.InvariantCulture); break;
                case "--value-bytes": valueBytes = int.Parse(flag, CultureInfo.InvariantCulture); break;
                case "--writers": writers = int.Parse(flag, CultureInfo.InvariantCulture); break;
                case "--data-root": dataRoot = Path.GetFullPath(flag); break;
                default: throw new ArgumentException($"unknown flag {name}.\n{Usage}");
            }
        }

        dataRoot ??= Path.Combine(GantryBinary.RepositoryRoot(), "out", "bench-data");
        var directory = Path.Combine(dataRoot, "store-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        var value = new byte[valueBytes];
        for (var i = 0; i < value.Length; i++)
        {
            value[i] = (byte)('a' + (i % 26));
        }

        try
        {
            await using var store = await SqliteVersionedStore.OpenAsync(Path.Combine(directory, "state.db")).ConfigureAwait(false);
            BenchContext.Progress($"{keys} keys × {writes} commits of {valueBytes} bytes, {writers} writers");
            var process = Process.GetCurrentProcess();
            var written = WrittenBytes();
            var cpu = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, keys), new ParallelOptions { MaxDegreeOfParallelism = writers }, async (i, token) =>
            {
                var key = $"/registry/pods/bench/store-{i}";
                for (var w = 0; w < writes; w++)
                {
                    var result = await store.CommitAsync(new Mutation(key, value, null), token).ConfigureAwait(false);
                    if (!result.Succeeded)
                    {
                        throw new InvalidOperationException($"commit {w} of {key} failed");
                    }
                }
            }).ConfigureAwait(false);
            clock.Stop();
            process.Refresh();
            var commits = (double)keys * writes;
            var used = process.TotalProcessorTime - cpu;
            var command = ("dotnet run -c Release --project bench/Gantry.Bench -- store " + string.Join(' ', args)).TrimEnd();
            Console.Out.WriteLine($"`{command}` (load average at the end: {File.ReadAllText("/proc/loadavg").Trim()})");
            Console.Out.WriteLine();
            Console.Out.WriteLine("| commits | seconds | commits/s | CPU µs per commit | KiB written per commit |");
            Console.Out.WriteLine("|---:|---:|---:|---:|---:|");
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {commits:0} | {clock.Elapsed.TotalSeconds:0.00} | **{commits / clock.Elapsed.TotalSeconds:0}** | {used.TotalMicroseconds / commits:0.0} | {(WrittenBytes() - written) / commits / 1024:0.0} |"));
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Bytes this process has passed to write calls (<c>wchar</c>), whether or not they reached the disk yet.</summary>
    private static long WrittenBytes() =>
        long.Parse(File.ReadLines("/proc/self/io").First(l => l.StartsWith("wchar:", StringComparison.Ordinal))["wchar:".Length..].Trim(), CultureInfo.InvariantCulture);
}
