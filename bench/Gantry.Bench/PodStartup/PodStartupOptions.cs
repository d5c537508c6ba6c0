using System.Globalization;

namespace Gantry.Bench.PodStartup;

/// <summary>Flags of <c>Gantry.Bench pod-startup</c>; the defaults are what REPORT.md was measured with.</summary>
internal sealed record PodStartupOptions(
    int Pods,
    IReadOnlyList<int> Concurrencies,
    IReadOnlyList<double> Rates,
    IReadOnlyList<string> Runtimes,
    int WarmUpPods,
    int? BaselineRunsFlag,
    string DataRoot,
    string? OutputPath,
    string? TimelinePath,
    bool KeepData)
{
    public const string Usage =
        """
        usage: Gantry.Bench pod-startup [flags]
          --pods N               pods per runtime and concurrency (default 200)
          --concurrency N,N      closed loops: pods being started at once (default 1,8; none for no closed loop)
          --rate R,R             open loops: pods created per second, whatever the earlier ones do (default 5,
                                 as Kubernetes' node-throughput test; none for no open loop)
          --runtimes a,b         oci, process (default both)
          --warm-up N            untimed pods per runtime first, one at a time (default 100: a freshly started
                                 gantry still compiles its hot paths through about its first hundred pods;
                                 the first oci pod imports busybox)
          --baseline-runs N      iterations of bare runc and bare unshare (default: as many as --pods, so that
                                 both p99s come from as many samples)
          --data-root DIR        where the cluster's data dir goes (default out/bench-data)
          --out FILE             also write the markdown summary there
          --timeline FILE        write every timed pod's milestones there (CSV, Unix seconds) to line up with strace -ttt
          --keep-data            keep the data dir
        Takes /tmp/gantry-pods.lock itself while the cluster runs (do not wrap it in flock).
        """;

    public static readonly IReadOnlyList<string> KnownRuntimes = ["oci", "process"];

    public static PodStartupOptions Parse(IReadOnlyList<string> args, string repositoryRoot)
    {
        var options = new PodStartupOptions(200, [1, 8], [5], KnownRuntimes, 100, null, Path.Combine(repositoryRoot, "out", "bench-data"), null, null, false);
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
                "--concurrency" => options with { Concurrencies = value == "none" ? [] : value.Split(',').Select(v => Positive(flag, v)).ToList() },
                "--rate" => options with { Rates = value == "none" ? [] : value.Split(',').Select(v => PositiveRate(flag, v)).ToList() },
                "--runtimes" => options with { Runtimes = value.Split(',') },
                "--warm-up" => options with { WarmUpPods = int.Parse(value, CultureInfo.InvariantCulture) },
                "--baseline-runs" => options with { BaselineRunsFlag = Positive(flag, value) },
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

    /// <summary>Closed loops first, then open ones.</summary>
    public IReadOnlyList<PodLoad> Loads => [.. Concurrencies.Select(PodLoad.Closed), .. Rates.Select(PodLoad.Open)];

    public int BaselineRuns => BaselineRunsFlag ?? Pods;

    private static double PositiveRate(string flag, string value) =>
        double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate) && rate > 0
            ? rate
            : throw new ArgumentException($"{flag} needs positive rates, not {value}.\n{Usage}");

    private static int Positive(string flag, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{flag} needs a positive number, not {value}.\n{Usage}");
}
