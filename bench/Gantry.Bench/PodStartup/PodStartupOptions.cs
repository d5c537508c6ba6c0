using System.Globalization;

namespace Gantry.Bench.PodStartup;

/// <summary>Flags of <c>Gantry.Bench pod-startup</c>; the defaults are what REPORT.md was measured with.</summary>
internal sealed record PodStartupOptions(
    int Pods,
    IReadOnlyList<int> Concurrencies,
    IReadOnlyList<string> Runtimes,
    int WarmUpPods,
    int BaselineRuns,
    string DataRoot,
    string? OutputPath,
    string? TimelinePath,
    bool KeepData)
{
    public const string Usage =
        """
        usage: Gantry.Bench pod-startup [flags]
          --pods N               pods per runtime and concurrency (default 200)
          --concurrency N,N      pods being started at once (default 1,8; 1 measures pure latency)
          --runtimes a,b         oci, process (default both)
          --warm-up N            untimed pods per runtime first (default 10; the first oci pod imports busybox)
          --baseline-runs N      iterations of bare runc and bare unshare (default 50)
          --data-root DIR        where the cluster's data dir goes (default out/bench-data)
          --out FILE             also write the markdown summary there
          --timeline FILE        write every timed pod's milestones there (CSV, Unix seconds) to line up with strace -ttt
          --keep-data            keep the data dir
        Takes /tmp/gantry-pods.lock itself while the cluster runs (do not wrap it in flock).
        """;

    public static readonly IReadOnlyList<string> KnownRuntimes = ["oci", "process"];

    public static PodStartupOptions Parse(IReadOnlyList<string> args, string repositoryRoot)
    {
        var options = new PodStartupOptions(200, [1, 8], KnownRuntimes, 10, 50, Path.Combine(repositoryRoot, "out", "bench-data"), null, null, false);
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
                "--pods" => options with { Pods = Positive(flag, value) },
                "--concurrency" => options with { Concurrencies = value.Split(',').Select(v => Positive(flag, v)).ToList() },
                "--runtimes" => options with { Runtimes = value.Split(',') },
                "--warm-up" => options with { WarmUpPods = int.Parse(value, CultureInfo.InvariantCulture) },
                "--baseline-runs" => options with { BaselineRuns = Positive(flag, value) },
                "--data-root" => options with { DataRoot = Path.GetFullPath(value) },
                "--out" => options with { OutputPath = Path.GetFullPath(value) },
                "--timeline" => options with { TimelinePath = Path.GetFullPath(value) },
                _ => throw new ArgumentException($"unknown flag {flag}.\n{Usage}"),
            };
        }

        var unknown = options.Runtimes.Except(KnownRuntimes).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"unknown runtime(s) {string.Join(", ", unknown)}.\n{Usage}");
        }

        // The pod CIDR is a /24 and every pod of a run is running at its end.
        return options.Pods <= 240 ? options : throw new ArgumentException($"--pods must be at most 240: the node's pod CIDR is a /24 and all of a run's pods run at once.\n{Usage}");
    }

    private static int Positive(string flag, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{flag} needs a positive number, not {value}.\n{Usage}");
}
