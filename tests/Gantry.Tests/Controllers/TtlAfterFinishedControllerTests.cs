using Gantry.Server.Controllers;
using Gantry.Server.Informers;
using Gantry.Tests.Registry;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Gantry.Tests.Controllers;

/// <summary>The TTL-after-finished controller on real informers over a registry whose clock the test moves; its loop never runs.</summary>
public sealed class TtlAfterFinishedControllerTests : IAsyncLifetime
{
    private readonly CancellationTokenSource _informing = new();
    private RegistryTestContext _context = null!;
    private InProcessClient _client = null!;
    private SharedInformers _informers = null!;
    private TtlAfterFinishedController _controller = null!;
    private Task _informersRun = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _context = await RegistryTestContext.StartAsync();
        _client = new InProcessClient(_context.Registry, "test");
        _informers = new SharedInformers(_context.Cache, NullLoggerFactory.Instance);
        _controller = new TtlAfterFinishedController(_informers, _client, _context.Time, NullLogger<TtlAfterFinishedController>.Instance);
        _informersRun = _informers.RunAsync(_informing.Token);
        await _informers.WaitForSyncAsync(_context.Ct);
    }

    public async Task DisposeAsync()
    {
        await _informing.CancelAsync();
        await _informersRun;
        await _context.DisposeAsync();
        _informing.Dispose();
    }

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
        await _client.CreateAsync(Job("running", ttl: 0), _context.Ct);

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
        await _client.CreateAsync(Job(name, ttl), _context.Ct);
        var finished = (_context.Time.GetUtcNow() - finishedAgo).UtcDateTime;
        await _client.MutateAsync<V1Job>("default", name, j => j.Status = new V1JobStatus
        {
            Conditions = [new V1JobCondition { Type = "Complete", Status = "True", LastTransitionTime = finished }],
            CompletionTime = finished,
            StartTime = finished,
            Succeeded = 1,
        }, _context.Ct, "status");
    }

    /// <summary>One sync, once the controller's informer holds the job as stored.</summary>
    private async Task SyncAsync(string name)
    {
        var jobs = _informers.For<V1Job>();
        while (jobs.Get("default", name)?.ResourceVersion() != Stored(name).ResourceVersion())
        {
            await Task.Delay(5, _context.Ct);
        }

        await _controller.SyncAsync($"default/{name}", _context.Ct);
    }

    private V1Job Stored(string name) => KubernetesJson.Deserialize<V1Job>(_context.Get(JobHarness.Jobs, name)!.ToJsonString());
}
