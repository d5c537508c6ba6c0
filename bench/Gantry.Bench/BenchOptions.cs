using System.Globalization;

namespace Gantry.Bench;

/// <summary>Flags of <c>gantry-bench api</c>; every default is what REPORT.md was measured with.</summary>
internal sealed record BenchOptions(
    TimeSpan Duration,
    Version HttpVersion,
    double OpenLoopRate,
    int ListSize,
    int ListRepeats,
    IReadOnlyList<int> Watchers,
    int WatchEvents,
    string DataRoot,
    string? OutputPath,
    bool KeepData,
    IReadOnlySet<string> Only)
{
    public const string Usage =
        """
        usage: Gantry.Bench api [flags]
          --duration SECONDS     each closed-loop and open-loop phase (default 10)
          --http 1.1|2           HTTP version (default 1.1; h2 is negotiated by ALPN)
          --rate N               open-loop creates per second (default 500)
          --list-size N          pods in the LIST namespace (default 10000)
          --list-repeats N       timed LISTs per variant (default 20)
          --watchers N,N         watcher counts for the fan-out (default 10,100)
          --watch-events N       pods created per fan-out (default 1000)
          --data-root DIR        where the server's data dir goes (default out/bench-data; must be a real disk, not tmpfs)
          --out FILE             also write the markdown summary there
          --keep-data            keep the data dir
          --only a,b             run only these phases: create, open, list, get, watch, durable, restart
        """;

    public static readonly IReadOnlyList<string> Phases = ["create", "open", "list", "get", "watch", "durable", "restart"];

    public bool Runs(string phase) => Only.Count == 0 || Only.Contains(phase);

    public static BenchOptions Parse(IReadOnlyList<string> args, string repositoryRoot)
    {
        var options = new BenchOptions(
            TimeSpan.FromSeconds(10),
            System.Net.HttpVersion.Version11,
            500,
            10_000,
            20,
            [10, 100],
            1000,
            Path.Combine(repositoryRoot, "out", "bench-data"),
            null,
            false,
            new HashSet<string>(StringComparer.Ordinal));
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            if (flag == "--keep-data")
            {
                options = options with { KeepData = true };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"{flag} needs a value.\n{Usage}");
            }

            var value = args[++i];
            options = flag switch
            {
                "--duration" => options with { Duration = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--http" => options with { HttpVersion = value is "2" or "2.0" ? System.Net.HttpVersion.Version20 : System.Net.HttpVersion.Version11 },
                "--rate" => options with { OpenLoopRate = double.Parse(value, CultureInfo.InvariantCulture) },
                "--list-size" => options with { ListSize = int.Parse(value, CultureInfo.InvariantCulture) },
                "--list-repeats" => options with { ListRepeats = int.Parse(value, CultureInfo.InvariantCulture) },
                "--watchers" => options with { Watchers = value.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToList() },
                "--watch-events" => options with { WatchEvents = int.Parse(value, CultureInfo.InvariantCulture) },
                "--data-root" => options with { DataRoot = Path.GetFullPath(value) },
                "--out" => options with { OutputPath = Path.GetFullPath(value) },
                "--only" => options with { Only = value.Split(',').ToHashSet(StringComparer.Ordinal) },
                _ => throw new ArgumentException($"unknown flag {flag}.\n{Usage}"),
            };
        }

        var unknown = options.Only.Except(Phases).ToList();
        return unknown.Count == 0 ? options : throw new ArgumentException($"unknown phase(s) {string.Join(", ", unknown)}.\n{Usage}");
    }
}
