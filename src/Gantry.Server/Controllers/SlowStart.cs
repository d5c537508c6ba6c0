namespace Gantry.Server.Controllers;

/// <summary>
/// Kubernetes' <c>slowStartBatch</c>: many creations go out in batches of 1, 2, 4, … that run
/// concurrently within a batch, and stop at the first batch with a failure, so that a controller
/// asking for thousands of pods the API will refuse (quota, a bad template) fails after one call,
/// while a good request ramps up to full concurrency quickly.
/// </summary>
public static class SlowStart
{
    /// <summary>The batch sizes for <paramref name="count"/> calls, starting at <paramref name="initial"/>.</summary>
    public static IReadOnlyList<int> Batches(int count, int initial = 1)
    {
        var batches = new List<int>();
        var remaining = count;
        for (var size = Math.Min(remaining, initial); size > 0; size = Math.Min(2 * size, remaining))
        {
            batches.Add(size);
            remaining -= size;
        }

        return batches;
    }

    /// <summary>Runs <paramref name="call"/> <paramref name="count"/> times; returns how many succeeded and the first error.</summary>
    public static async Task<(int Succeeded, Exception? Error)> RunAsync(int count, Func<Task> call)
    {
        var succeeded = 0;
        foreach (var size in Batches(count))
        {
            var tasks = Enumerable.Range(0, size).Select(_ => call()).ToArray();
            try
            {
                await Task.WhenAll(tasks).ConfigureAwait(false);
            }
            catch (Exception)
            {
                succeeded += tasks.Count(t => t.IsCompletedSuccessfully);
                return (succeeded, tasks.First(t => t.IsFaulted).Exception!.InnerException);
            }

            succeeded += size;
        }

        return (succeeded, null);
    }
}
