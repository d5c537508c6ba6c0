using System.Text.Json.Nodes;
using System.Threading.Channels;
using Gantry.Core.Resources;
using Gantry.Server.Controllers;
using Gantry.Server.Informers;
using Gantry.Server.Registry;
using Gantry.Tests.Registry;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Tests.Controllers;

/// <summary>
/// The job controller on real informers over a registry whose clock stands still, synced by the test
/// (its loop never runs), so that each sync sees exactly the informer state the test arranged. The
/// informers, or the jobs' alone, can be frozen to replay a sync on a stale copy, as a slow watch would give it.
/// </summary>
internal sealed class JobHarness : IAsyncDisposable
{
    public static readonly ResourceType Jobs = ResourceCatalog.Get("batch", "jobs");
    public static readonly ResourceType Pods = ResourceCatalog.Get("", "pods");
    public static readonly ResourceType Events = ResourceCatalog.Get("", "events");

    private readonly CancellationTokenSource _informing = new();
    private readonly CancellationTokenSource _informingJobs = new();
    private readonly SharedInformers _informers;
    private readonly RecordedEvents _events;
    private readonly JobController _controller;
    private readonly Channel<bool> _informed = Channel.CreateUnbounded<bool>();
    private readonly Task _jobsRun;
    private readonly Task _podsRun;

    private JobHarness(RegistryTestContext context)
    {
        Context = context;
        Client = new InProcessClient(context.Registry, "test");
        _informers = new SharedInformers(context.Cache, NullLoggerFactory.Instance);
        _events = new RecordedEvents(context, Client, "job-controller");
        _controller = new JobController(_informers, Client, _events.Recorder, context.Time, NullLogger<JobController>.Instance);
        _informers.For<V1Job>().OnChange((_, _) => _informed.Writer.TryWrite(true));
        _informers.For<V1Pod>().OnChange((_, _) => _informed.Writer.TryWrite(true));
        // Each on its own, as the informers of kinds are: the jobs' can fall behind the pods'.
        _jobsRun = Task.Run(() => _informers.For<V1Job>().RunAsync(_informingJobs.Token));
        _podsRun = Task.Run(() => _informers.For<V1Pod>().RunAsync(_informing.Token));
    }

    public RegistryTestContext Context { get; }

    public InProcessClient Client { get; }

    public FakeTimeProvider Time => Context.Time;

    public static async Task<JobHarness> StartAsync()
    {
        var harness = new JobHarness(await RegistryTestContext.StartAsync());
        await harness._informers.WaitForSyncAsync(harness.Context.Ct);
        return harness;
    }

    public static V1Job Job(string name, int parallelism = 1, int? completions = null, long? deadline = null, int backoffLimit = 6, bool suspend = false) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1JobSpec
        {
            Parallelism = parallelism, Completions = completions, ActiveDeadlineSeconds = deadline, BackoffLimit = backoffLimit, Suspend = suspend,
            Template = new V1PodTemplateSpec
            {
                Spec = new V1PodSpec
                {
                    RestartPolicy = "Never",
                    Containers = [new V1Container { Name = "sleep", Image = "busybox:1", Command = ["sleep", "3600"] }],
                },
            },
        },
    };

    /// <summary>Creates the job and waits until the controller's informer holds it.</summary>
    public async Task CreateAsync(V1Job job)
    {
        await Client.CreateAsync(job, Context.Ct);
        await SettleAsync();
    }

    /// <summary>One sync of the job, once the informers hold everything stored so far.</summary>
    public async Task SyncAsync(string name)
    {
        await SettleAsync();
        await _controller.SyncAsync($"default/{name}", Context.Ct);
    }

    /// <summary>One turn of the orphan queue for the pod, once the informers hold everything stored so far.</summary>
    public async Task ReleaseOrphanAsync(string pod)
    {
        await SettleAsync();
        await _controller.ReleaseOrphanAsync($"default/{pod}", Context.Ct);
    }

    /// <summary>One sync on what the informers hold now, however stale.</summary>
    public Task SyncAsIsAsync(string name) => _controller.SyncAsync($"default/{name}", Context.Ct);

    /// <summary>Stops the informers: from now on they keep the copies they hold.</summary>
    public async Task FreezeInformersAsync()
    {
        await SettleAsync();
        await _informingJobs.CancelAsync();
        await _informing.CancelAsync();
        await Task.WhenAll(_jobsRun, _podsRun);
    }

    /// <summary>Stops the jobs' informer alone: from now on it keeps the copies it holds, while the pods' follows the store.</summary>
    public async Task FreezeJobsAsync()
    {
        await SettleAsync();
        await _informingJobs.CancelAsync();
        await _jobsRun;
    }

    /// <summary>One sync once the pods' informer holds every pod as stored, on whatever copy of the job the jobs' holds.</summary>
    public async Task SyncOnHeldJobAsync(string name)
    {
        var pods = _informers.For<V1Pod>();
        await UntilInformedAsync(() => Context.HoldsStored(Pods, pods.List()));
        await _controller.SyncAsync($"default/{name}", Context.Ct);
    }

    /// <summary>Sets the phase of every pod of the job.</summary>
    public async Task FinishPodsAsync(string phase)
    {
        foreach (var pod in PodsOf())
        {
            await Client.MutateAsync<V1Pod>("default", pod.Name(), p => p.Status = new V1PodStatus { Phase = phase }, Context.Ct, "status");
        }
    }

    /// <summary>Sets the phase of one pod.</summary>
    public Task<V1Pod> SetPhaseAsync(V1Pod pod, string phase) =>
        Client.MutateAsync<V1Pod>("default", pod.Name(), p => p.Status = new V1PodStatus { Phase = phase }, Context.Ct, "status");

    /// <summary>Deletes the pod as a user would; with no node to wait for, only a finalizer keeps it.</summary>
    public Task DeletePodAsync(V1Pod pod) => Client.DeleteAsync<V1Pod>("default", pod.Name(), DeleteRequest.Default, Context.Ct);

    public Task SuspendAsync(string name, bool suspend) =>
        Client.MutateAsync<V1Job>("default", name, j => j.Spec.Suspend = suspend, Context.Ct);

    /// <summary>The job as stored, as JSON, so that absent fields can be told from zeros.</summary>
    public JsonObject Stored(string name) => Context.Get(Jobs, name)!;

    public V1Job StoredJob(string name) => KubernetesJson.Deserialize<V1Job>(Stored(name).ToJsonString());

    public List<V1Pod> PodsOf() => Context.ListStored<V1Pod>(Pods);

    /// <summary>The events recorded so far: waits until one recorded after them all has been stored.</summary>
    public Task<List<Corev1Event>> EventsAsync(string name) => _events.AboutAsync(StoredJob(name));

    public async ValueTask DisposeAsync()
    {
        await _informingJobs.CancelAsync();
        await _informing.CancelAsync();
        await Task.WhenAll(_jobsRun, _podsRun);
        await _events.DisposeAsync();
        await Context.DisposeAsync();
        _informing.Dispose();
        _informingJobs.Dispose();
    }

    /// <summary>Waits until the informers hold every job and pod at its stored revision.</summary>
    private async Task SettleAsync()
    {
        var jobs = _informers.For<V1Job>();
        var pods = _informers.For<V1Pod>();
        await UntilInformedAsync(() => Context.HoldsStored(Jobs, jobs.List()) && Context.HoldsStored(Pods, pods.List()));
    }

    /// <summary>Re-checks <paramref name="done"/> after every change the informers apply.</summary>
    private async Task UntilInformedAsync(Func<bool> done)
    {
        while (!done())
        {
            await _informed.Reader.ReadAsync(Context.Ct);
        }
    }
}
