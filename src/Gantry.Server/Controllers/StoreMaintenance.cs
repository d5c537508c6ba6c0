using Gantry.Server.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Controllers;

/// <summary>
/// Housekeeping of the store and the watch cache: history is compacted every five minutes, keeping
/// a margin of recent revisions (as the apiserver does with etcd), and idle watchers that asked for
/// bookmarks get one regularly so they can resume without a re-list.
/// </summary>
public sealed class StoreMaintenance(IVersionedStore store, WatchCache cache, ILogger<StoreMaintenance> logger, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan BookmarkInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CompactionInterval = TimeSpan.FromMinutes(5);
    private const long RetainedRevisions = 10_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(BookmarkInterval, time);
        var lastCompaction = time.GetUtcNow();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                cache.SendBookmarks();
                if (time.GetUtcNow() - lastCompaction >= CompactionInterval)
                {
                    lastCompaction = time.GetUtcNow();
                    var target = store.Revision - RetainedRevisions;
                    if (target > store.CompactedRevision)
                    {
                        await store.CompactAsync(target, stoppingToken).ConfigureAwait(false);
                        logger.LogInformation("Compacted store history up to revision {Revision}", target);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
