using System.Globalization;

namespace Gantry.Bench.ServiceProxy;

/// <summary>Flags of <c>Gantry.Bench service-proxy</c>; the defaults are what REPORT.md was measured with.</summary>
internal sealed record ServiceProxyOptions(
    int Backends,
    int Requests,
    TimeSpan Duration,
    int Concurrency,
    int Changes,
    string DataRoot,
    string? OutputPath,
    bool KeepData)
{
    public const string Usage =
        """
        usage: Gantry.Bench service-proxy [flags]
          --backends N           busybox httpd pods behind the Service (default 3)
          --requests N           sequential requests per path for latency, each on a new connection (default 2000)
          --seconds N            length of each throughput run (default 10)
          --concurrency N        connections at once in the throughput runs (default 8)
          --changes N            endpoint additions and removals timed (default 30 each)
          --data-root DIR        where the cluster's data dir goes (default out/bench-data)
          --out FILE             also write the markdown summary there
          --keep-data            keep the data dir
        Takes /tmp/gantry-pods.lock itself while the cluster runs (do not wrap it in flock).
        """;

    public static ServiceProxyOptions Parse(IReadOnlyList<string> args, string repositoryRoot)
    {
        var options = new ServiceProxyOptions(3, 2000, TimeSpan.FromSeconds(10), 8, 30, Path.Combine(repositoryRoot, "out", "bench-data"), null, false);
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
                "--backends" => options with { Backends = Positive(flag, value) },
                "--requests" => options with { Requests = Positive(flag, value) },
                "--seconds" => options with { Duration = TimeSpan.FromSeconds(Positive(flag, value)) },
                "--concurrency" => options with { Concurrency = Positive(flag, value) },
                "--changes" => options with { Changes = Positive(flag, value) },
                "--data-root" => options with { DataRoot = Path.GetFullPath(value) },
                "--out" => options with { OutputPath = Path.GetFullPath(value) },
                _ => throw new ArgumentException($"unknown flag {flag}.\n{Usage}"),
            };
        }

        return options;
    }

    private static int Positive(string flag, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{flag} needs a positive number, not {value}.\n{Usage}");
}
