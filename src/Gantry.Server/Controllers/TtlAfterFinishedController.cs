using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Informers;
using Gantry.Server.Registry;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Controllers;

/// <summary>
/// Kubernetes' TTL-after-finished controller: a Job with <c>ttlSecondsAfterFinished</c> is deleted, with its pods
/// (foreground propagation), that many seconds after it finished, counted from the lastTransitionTime of its Complete or
/// Failed condition. Before deleting, it reads the Job again from the store, in case its TTL has changed, and deletes
/// only that Job (a precondition on its uid), never a new one of the same name.
/// </summary>
public sealed class TtlAfterFinishedController : BackgroundService
{
    private const int Workers = 5;

    private static readonly ResourceType Jobs = ResourceCatalog.Get("batch", "jobs");

    private readonly SharedInformers _informers;
    private readonly Informer<V1Job> _jobs;
    private readonly InProcessClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger<TtlAfterFinishedController> _logger;
    private readonly WorkQueue<string> _queue;

    public TtlAfterFinishedController(SharedInformers informers, InProcessClient client, TimeProvider time, ILogger<TtlAfterFinishedController> logger)
    {
        _informers = informers;
        _jobs = informers.For<V1Job>();
        _client = client;
        _time = time;
        _logger = logger;
        _queue = new WorkQueue<string>(time);
        _jobs.OnChange((_, current) =>
        {
            if (current is not null && NeedsCleanup(current))
            {
                _queue.Add($"{current.Namespace()}/{current.Name()}");
            }
        });
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _queue.RunWhenSyncedAsync(
            _informers, Workers, SyncAsync, (key, ex) => _logger.LogWarning(ex, "Cleaning up job {Key} failed", key), stoppingToken);

    internal async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var (ns, name) = (key[..slash], key[(slash + 1)..]);
        if (_jobs.Get(ns, name) is not { } cached || !Expired(key, cached))
        {
            return;
        }

        // The informer's copy may predate a change of the TTL: decide on the stored Job.
        if (_client.Registry.Get(Jobs, ns, name) is not { } stored)
        {
            return;
        }

        var fresh = KubernetesJson.Deserialize<V1Job>(new MemoryStream(stored.Json, writable: false));
        if (!Expired(key, fresh))
        {
            return;
        }

        _logger.LogInformation("Cleaning up job {Namespace}/{Job}, finished {Ttl} s ago or more", ns, name, fresh.Spec.TtlSecondsAfterFinished);
        try
        {
            await _client.DeleteAsync<V1Job>(ns, name, new DeleteRequest(PropagationPolicy: "Foreground", PreconditionUid: fresh.Uid()), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code is 404 or 409)
        {
            // Gone already, or another job of the same name: nothing of this one is left to clean up.
        }
    }

    /// <summary>Whether the job's TTL has run out; if it has not, the job is looked at again when it will have.</summary>
    private bool Expired(string key, V1Job job)
    {
        if (!NeedsCleanup(job) || FinishedAt(job) is not { } finished)
        {
            return false;
        }

        var left = finished.AddSeconds(job.Spec.TtlSecondsAfterFinished!.Value) - _time.GetUtcNow();
        if (left <= TimeSpan.Zero)
        {
            return true;
        }

        _queue.AddAfter(key, left);
        return false;
    }

    private static bool NeedsCleanup(V1Job job) =>
        job.Metadata.DeletionTimestamp is null && job.Spec.TtlSecondsAfterFinished is not null && JobConditions.IsFinished(job.Status);

    /// <summary>The lastTransitionTime of the job's true Complete or Failed condition, as kube's jobFinishTime reads it.</summary>
    private static DateTimeOffset? FinishedAt(V1Job job) =>
        job.Status?.Conditions?.FirstOrDefault(c => c.Type is JobConditions.Complete or JobConditions.Failed && c.Status == "True")?.LastTransitionTime
            is { } time
            ? new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc))
            : null;
}
