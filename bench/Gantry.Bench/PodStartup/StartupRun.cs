using System.Diagnostics;
using System.Globalization;
using Gantry.Bench.Measurement;

namespace Gantry.Bench.PodStartup;

/// <summary>
/// N pods created under a <see cref="PodLoad"/>, each timed until it is seen Running; then every pod is deleted and
/// the run waits until the watch has seen each one go, so the next run starts from an empty node.
/// </summary>
internal sealed class StartupRun(GantryUp cluster, StartupPods pods, PodWatch watch)
{
    private static readonly TimeSpan RunningPatience = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan DeletePatience = TimeSpan.FromSeconds(180);
    private const int DeleteConcurrency = 16;

    public async Task<StartupResult> RunAsync(string runtime, int count, PodLoad load, string prefix)
    {
        var timelines = Enumerable.Range(0, count)
            .Select(i => watch.Track(string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i}")))
            .ToArray();
        var errors = 0;
        string? firstError = null;
        var loadBefore = OneMinuteLoad();
        var cpu = new CpuMeter(cluster.Pid);
        var childrenBefore = CpuMeter.ReapedChildrenCpuSeconds(cluster.Pid);
        var started = Stopwatch.GetTimestamp();
        async Task StartAsync(PodTimeline pod)
        {
            try
            {
                pod.Sent = Stopwatch.GetTimestamp();
                await pods.CreateAsync(runtime, pod.Name, CancellationToken.None).ConfigureAwait(false);
                pod.Acknowledged = Stopwatch.GetTimestamp();
                await pod.RunningSeen.Task.WaitAsync(RunningPatience).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or IOException or HttpRequestException or BenchRequestException)
            {
                Interlocked.Increment(ref errors);
                var message = $"{pod.Name}: {ex.Message}{(pod.Problem is null ? "" : $" (last status: {pod.Problem})")}";
                Interlocked.CompareExchange(ref firstError, message, null);
                BenchContext.Progress($"pod {message}");
                if (watch.Failure is not null)
                {
                    throw new IOException(watch.Failure, ex);
                }
            }
        }

        if (load.Rate is { } rate)
        {
            await Task.WhenAll(timelines.Select(async (pod, index) =>
            {
                var due = started + (long)(index / rate * Stopwatch.Frequency);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait).ConfigureAwait(false);
                }

                await StartAsync(pod).ConfigureAwait(false);
            })).ConfigureAwait(false);
        }
        else
        {
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, load.Concurrency!.Value).Select(_ => Task.Run(async () =>
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < count)
                {
                    await StartAsync(timelines[index]).ConfigureAwait(false);
                }
            }))).ConfigureAwait(false);
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        var usage = cpu.Stop();
        var childCores = (CpuMeter.ReapedChildrenCpuSeconds(cluster.Pid) - childrenBefore) / elapsed.TotalSeconds;
        var running = timelines.Where(t => t.Running != 0).ToList();

        var (teardown, teardownProblem) = await DeleteAllAsync(timelines).ConfigureAwait(false);
        return new StartupResult(
            runtime,
            load,
            Stats(running, t => t.Running - t.Sent),
            Stats(running, t => t.Acknowledged - t.Sent),
            Stats(running.Where(t => t.Added != 0), t => t.Added - t.Sent),
            LatencyStats.FromTicks(running.Select(t => cluster.RuntimeStartMs(t.Name)).OfType<double>().Select(ToTicks).ToList()),
            LatencyStats.FromTicks(running.Where(t => t.Added != 0 && cluster.RuntimeStartMs(t.Name) is not null)
                .Select(t => t.Running - t.Added - ToTicks(cluster.RuntimeStartMs(t.Name)!.Value)).ToList()),
            errors,
            firstError,
            running.Count / elapsed.TotalSeconds,
            usage,
            childCores,
            loadBefore,
            teardown,
            teardownProblem,
            timelines.Select(t => string.Join(',', t.Name, runtime, load.ToString(),
                WallClock.UnixSeconds(t.Sent), WallClock.UnixSeconds(t.Acknowledged), WallClock.UnixSeconds(t.Added), WallClock.UnixSeconds(t.Running),
                cluster.RuntimeStartMs(t.Name)?.ToString(CultureInfo.InvariantCulture) ?? "")).ToList());
    }

    /// <returns>How long it took, and which pods were still there when the bench stopped waiting.</returns>
    private async Task<(TimeSpan Elapsed, string? Problem)> DeleteAllAsync(PodTimeline[] timelines)
    {
        var started = Stopwatch.GetTimestamp();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, DeleteConcurrency).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < timelines.Length)
            {
                await pods.DeleteAsync(timelines[index].Name, CancellationToken.None).ConfigureAwait(false);
            }
        }))).ConfigureAwait(false);

        // A pod whose create failed may never have existed: only those the watch saw must go.
        var gone = timelines.Where(t => t.Added != 0).Select(t => t.DeletedSeen.Task);
        try
        {
            await Task.WhenAll(gone).WaitAsync(DeletePatience).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var left = timelines.Where(t => t.Added != 0 && !t.DeletedSeen.Task.IsCompleted).Select(t => t.Name).ToList();
            return (Stopwatch.GetElapsedTime(started),
                $"{left.Count} pods were still not deleted {DeletePatience.TotalSeconds:0} s after their DELETE ({string.Join(", ", left)}).\n{cluster.LogTail(3)}");
        }

        return (Stopwatch.GetElapsedTime(started), null);
    }

    private static double OneMinuteLoad() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    private static LatencyStats Stats(IEnumerable<PodTimeline> pods, Func<PodTimeline, long> ticks) =>
        LatencyStats.FromTicks(pods.Select(ticks).ToList());

    private static long ToTicks(double milliseconds) => (long)(milliseconds * Stopwatch.Frequency / 1000);
}
