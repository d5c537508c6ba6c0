using System.Diagnostics;
using System.Globalization;
using Gantry.Bench.Measurement;

namespace Gantry.Bench.Scenarios;

/// <summary>(d) LIST of a large namespace, as JSON and as a Table; (c) GET of single objects.</summary>
internal static class ReadScenarios
{
    public const string Namespace = "bench-list";
    private const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io";
    private const int FillConcurrency = 64;
    private static readonly int[] GetConcurrencies = [8, 32];

    /// <summary>Creates the namespace's pods concurrently and checks that a list returns all of them.</summary>
    public static async Task FillAsync(BenchContext context)
    {
        var size = context.Options.ListSize;
        await context.Api.CreateNamespaceAsync(Namespace).ConfigureAwait(false);
        BenchContext.Progress($"creating {size} pods in {Namespace} at concurrency {FillConcurrency}");
        var next = -1;
        var latencies = new List<long>[FillConcurrency];
        var cpu = new CpuMeter(context.Server.Pid);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, FillConcurrency).Select(worker => Task.Run(async () =>
        {
            var mine = latencies[worker] = [];
            int index;
            while ((index = Interlocked.Increment(ref next)) < size)
            {
                var sent = Stopwatch.GetTimestamp();
                await context.Api.CreatePodAsync(Namespace, PodName(index), CancellationToken.None).ConfigureAwait(false);
                mine.Add(Stopwatch.GetTimestamp() - sent);
            }
        }))).ConfigureAwait(false);
        var run = new LoadRun(latencies.SelectMany(l => l).ToList(), 0, null, Stopwatch.GetElapsedTime(started), cpu.Stop());
        context.Add("(d) LIST setup: pod create", $"{size} pods, concurrency {FillConcurrency}", run);

        using var list = await context.Api.GetJsonAsync(KubeApi.PodsPath(Namespace)).ConfigureAwait(false);
        var items = list.RootElement.GetProperty("items").GetArrayLength();
        if (items != size)
        {
            context.Findings.Add($"LIST {KubeApi.PodsPath(Namespace)} returned {items} items after {size} acknowledged creates.");
        }
    }

    public static async Task ListAsync(BenchContext context)
    {
        var path = KubeApi.PodsPath(Namespace);
        var repeats = context.Options.ListRepeats;
        var size = context.Options.ListSize;
        await ListVariantAsync(context, path, null, $"{size} pods, JSON, no limit", repeats).ConfigureAwait(false);
        await ListVariantAsync(context, path, TableAccept, $"{size} pods, Table, no limit", repeats).ConfigureAwait(false);
        using (var table = await context.Api.GetJsonAsync(path, TableAccept).ConfigureAwait(false))
        {
            var rows = table.RootElement.TryGetProperty("rows", out var r) ? r.GetArrayLength() : -1;
            if (rows != size)
            {
                context.Findings.Add($"LIST {path} as Table returned {rows} rows for {size} pods.");
            }
        }

        // What `kubectl get pods` really sends: Table pages of 500, following continue tokens.
        await ListVariantAsync(context, path, TableAccept, $"{size} pods, Table, limit=500, all pages (kubectl get)", Math.Max(3, repeats / 4), pageLimit: 500)
            .ConfigureAwait(false);

        // Listing an empty namespace shows what a LIST costs before it sends anything: the scan for its objects.
        const string empty = "bench-empty";
        await context.Api.CreateNamespaceAsync(empty).ConfigureAwait(false);
        await ListVariantAsync(context, KubeApi.PodsPath(empty), null, "empty namespace, JSON (other namespaces hold all the other pods)", repeats * 5).ConfigureAwait(false);
    }

    public static async Task GetAsync(BenchContext context)
    {
        var size = context.Options.ListSize;
        foreach (var concurrency in GetConcurrencies)
        {
            var run = await ClosedLoop.RunAsync(concurrency, context.Options.Duration, context.Server.Pid, (_, _, token) =>
                context.Api.GetAsync($"{KubeApi.PodsPath(Namespace)}/{PodName(Random.Shared.Next(size))}", token)).ConfigureAwait(false);
            context.Add("(c) pod GET, closed loop", $"concurrency {concurrency}, random of {size}", run);
        }
    }

    private static async Task ListVariantAsync(BenchContext context, string path, string? accept, string parameters, int repeats, int pageLimit = 0)
    {
        // Three untimed lists: the first of a kind pays for JIT and buffer pools on both sides.
        for (var i = 0; i < 3; i++)
        {
            await ListOnceAsync(context.Api, path, accept, pageLimit).ConfigureAwait(false);
        }

        var latencies = new List<long>();
        (long Bytes, int Pages) last = default;
        var cpu = new CpuMeter(context.Server.Pid);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < repeats; i++)
        {
            var sent = Stopwatch.GetTimestamp();
            last = await ListOnceAsync(context.Api, path, accept, pageLimit).ConfigureAwait(false);
            latencies.Add(Stopwatch.GetTimestamp() - sent);
        }

        var run = new LoadRun(latencies, 0, null, Stopwatch.GetElapsedTime(started), cpu.Stop());
        context.Add("(d) pod LIST, sequential", parameters, run,
            string.Create(CultureInfo.InvariantCulture, $"{last.Bytes / 1_048_576.0:0.00} MiB in {last.Pages} response(s)"));
    }

    /// <returns>Bytes received and responses needed to list everything.</returns>
    private static async Task<(long Bytes, int Pages)> ListOnceAsync(KubeApi api, string path, string? accept, int pageLimit)
    {
        if (pageLimit == 0)
        {
            return (await api.DrainAsync(path, accept).ConfigureAwait(false), 1);
        }

        long bytes = 0;
        var pages = 0;
        string? continueToken = null;
        do
        {
            var page = string.Create(CultureInfo.InvariantCulture, $"{path}?limit={pageLimit}")
                + (continueToken is null ? "" : "&continue=" + Uri.EscapeDataString(continueToken));
            var body = await api.GetBytesAsync(page, accept).ConfigureAwait(false);
            bytes += body.Length;
            pages++;
            continueToken = ListMetadata.Continue(body);
        }
        while (continueToken is not null);

        return (bytes, pages);
    }

    private static string PodName(int index) => string.Create(CultureInfo.InvariantCulture, $"list-{index:D5}");
}
