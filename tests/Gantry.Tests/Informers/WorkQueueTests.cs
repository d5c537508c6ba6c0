using Gantry.Server.Informers;
using Xunit;

namespace Gantry.Tests.Informers;

public sealed class WorkQueueTests
{
    [Fact]
    public async Task A_key_queued_many_times_before_processing_is_processed_once()
    {
        var queue = new WorkQueue<string>(TimeProvider.System);
        queue.Add("a");
        queue.Add("a");
        queue.Add("a");
        var processed = new List<string>();
        using var stop = new CancellationTokenSource();

        var run = queue.RunAsync(1, (key, _) =>
        {
            processed.Add(key);
            stop.Cancel();
            return Task.CompletedTask;
        }, (_, _) => { }, stop.Token);
        await run;

        Assert.Equal(["a"], processed);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task A_key_is_never_processed_by_two_workers_at_once_and_a_key_added_meanwhile_is_processed_again()
    {
        var queue = new WorkQueue<string>(TimeProvider.System);
        var inside = 0;
        var maxInside = 0;
        var runs = 0;
        using var stop = new CancellationTokenSource();
        var firstStarted = new TaskCompletionSource();
        var release = new TaskCompletionSource();

        var run = queue.RunAsync(4, async (_, _) =>
        {
            var now = Interlocked.Increment(ref inside);
            maxInside = Math.Max(maxInside, now);
            if (Interlocked.Increment(ref runs) == 1)
            {
                firstStarted.SetResult();
                await release.Task;
            }
            else
            {
                stop.Cancel();
            }

            Interlocked.Decrement(ref inside);
        }, (_, _) => { }, stop.Token);
        queue.Add("a");
        await firstStarted.Task;
        queue.Add("a");
        release.SetResult();
        await run;

        Assert.Equal(1, maxInside);
        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task A_failed_key_is_retried()
    {
        var queue = new WorkQueue<string>(TimeProvider.System);
        var attempts = 0;
        var errors = 0;
        using var stop = new CancellationTokenSource();
        queue.Add("a");

        await queue.RunAsync(1, (_, _) =>
        {
            if (++attempts < 3)
            {
                throw new InvalidOperationException("not yet");
            }

            stop.Cancel();
            return Task.CompletedTask;
        }, (_, _) => errors++, stop.Token);

        Assert.Equal(3, attempts);
        Assert.Equal(2, errors);
    }
}
