using System.Diagnostics;

namespace Gantry.Bench.Measurement;

/// <summary>
/// Requests sent on a fixed schedule whatever the server does: latency counts from the scheduled
/// send time, so a stalled server is charged for every request it delayed (no coordinated omission).
/// </summary>
internal static class OpenLoop
{
    public static async Task<OpenLoopRun> RunAsync(double perSecond, TimeSpan duration, int serverPid, Func<long, Task> operation)
    {
        var count = (int)(perSecond * duration.TotalSeconds);
        var interval = Stopwatch.Frequency / perSecond;
        var fromSchedule = new long[count];
        var fromSend = new long[count];
        var sendLag = new long[count];
        var failed = new bool[count];
        string? firstError = null;
        var inFlight = new Task[count];
        var cpu = new CpuMeter(serverPid);
        var start = Stopwatch.GetTimestamp();

        // A dedicated thread keeps the schedule: thread-pool timers get late exactly when the machine is busy.
        var dispatcher = new Thread(() =>
        {
            for (var i = 0; i < count; i++)
            {
                var due = start + (long)(i * interval);
                while (Stopwatch.GetTimestamp() < due)
                {
                    Thread.Sleep(1);
                }

                var index = i;
                inFlight[i] = Task.Run(async () =>
                {
                    var sent = Stopwatch.GetTimestamp();
                    sendLag[index] = sent - due;
                    try
                    {
                        await operation(index).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or IOException or BenchRequestException or TaskCanceledException)
                    {
                        failed[index] = true;
                        Interlocked.CompareExchange(ref firstError, ex.Message, null);
                    }

                    var done = Stopwatch.GetTimestamp();
                    fromSchedule[index] = done - due;
                    fromSend[index] = done - sent;
                });
            }
        })
        { IsBackground = true, Name = "open-loop dispatcher", Priority = ThreadPriority.AboveNormal };
        dispatcher.Start();
        await Task.Run(dispatcher.Join).ConfigureAwait(false);
        await Task.WhenAll(inFlight).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(start);

        var ok = Enumerable.Range(0, count).Where(i => !failed[i]).ToList();
        return new OpenLoopRun(
            new LoadRun(ok.Select(i => fromSchedule[i]).ToList(), count - ok.Count, firstError, elapsed, cpu.Stop()),
            LatencyStats.FromTicks(ok.Select(i => fromSend[i]).ToList()),
            LatencyStats.FromTicks(sendLag.ToList()));
    }
}
