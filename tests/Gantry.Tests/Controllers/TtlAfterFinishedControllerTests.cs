using Gantry.Server.Controllers;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Gantry.Tests.Controllers;

/// <summary>The TTL-after-finished controller on real informers over a registry whose clock the test moves; its loop never runs.</summary>
public sealed class TtlAfterFinishedControllerTests : IAsyncLifetime
{
    private InformedRegistry _registry = null!;
    private TtlAfterFinishedController _controller = null!;

    public async Task InitializeAsync()
    {
        _registry = await InformedRegistry.CreateAsync();
        _controller = new TtlAfterFinishedController(_registry.Informers, _registry.Client, _registry.Context.Time, NullLogger<TtlAfterFinishedController>.Instance);
        await _registry.RunInformersAsync();
    }

    public Task DisposeAsync() => _registry.DisposeAsync().AsTask();

    [Fact]
    public async Task A_finished_job_is_deleted_with_its_pods_once_its_ttl_has_passed()
    {
        await CreateFinishedJobAsync("done", ttl: 60, finishedAgo: TimeSpan.FromSeconds(61));

        await SyncAsync("done");

        var job = Stored("done");
        Assert.NotNull(job.Metadata.DeletionTimestamp);
        Assert.Contains("foregroundDeletion", job.Metadata.Finalizers ?? []);
    }

    [Fact]
    public async Task A_finished_job_within_its_ttl_is_kept()
    {
        await CreateFinishedJobAsync("recent", ttl: 60, finishedAgo: TimeSpan.FromSeconds(30));

        await SyncAsync("recent");

        Assert.Null(Stored("recent").Metadata.DeletionTimestamp);
    }

    [Fact]
    public async Task A_job_without_a_ttl_is_kept()
    {
        await CreateFinishedJobAsync("forever", ttl: null, finishedAgo: TimeSpan.FromDays(1));

        await SyncAsync("forever");

        Assert.Null(Stored("forever").Metadata.DeletionTimestamp);
    }

    [Fact]
    public async Task A_running_job_is_kept_whatever_its_ttl()
    {
        await _registry.Client.CreateAsync(Job("running", ttl: 0), _registry.Context.Ct);

        await SyncAsync("running");

        Assert.Null(Stored("running").Metadata.DeletionTimestamp);
    }

    private static V1Job Job(string name, int? ttl) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1JobSpec
        {
            TtlSecondsAfterFinished = ttl,
            Template = new V1PodTemplateSpec
            {
                Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "c", Image = "busybox" }] },
            },
        },
    };

    private async Task CreateFinishedJobAsync(string name, int? ttl, TimeSpan finishedAgo)
    {
        await _registry.Client.CreateAsync(Job(name, ttl), _registry.Context.Ct);
        var finished = (_registry.Context.Time.GetUtcNow() - finishedAgo).UtcDateTime;
        await _registry.Client.MutateAsync<V1Job>("default", name, j => j.Status = new V1JobStatus
        {
            Conditions = [new V1JobCondition { Type = "Complete", Status = "True", LastTransitionTime = finished }],
            CompletionTime = finished,
            StartTime = finished,
            Succeeded = 1,
        }, _registry.Context.Ct, "status");
    }

    /// <summary>One sync, once the controller's informer holds the job as stored.</summary>
    private async Task SyncAsync(string name)
    {
        await _registry.SettleAsync<V1Job>(JobHarness.Jobs);
        await _controller.SyncAsync($"default/{name}", _registry.Context.Ct);
    }

    private V1Job Stored(string name) => KubernetesJson.Deserialize<V1Job>(_registry.Context.Get(JobHarness.Jobs, name)!.ToJsonString());
}
