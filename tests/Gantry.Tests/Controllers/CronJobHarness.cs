using Gantry.Core.Resources;
using Gantry.Server.Controllers;
using Gantry.Server.Informers;
using Gantry.Server.Registry;
using Gantry.Server.Storage;
using Gantry.Tests.Registry;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Tests.Controllers;

/// <summary>
/// The cronjob controller on real informers over a registry whose clock the test moves, synced by the test (its loop
/// never runs). Schedules without a time zone are read in UTC.
/// </summary>
internal sealed class CronJobHarness : IAsyncDisposable
{
    public static readonly ResourceType CronJobs = ResourceCatalog.Get("batch", "cronjobs");
    public static readonly ResourceType Jobs = ResourceCatalog.Get("batch", "jobs");
    private static readonly ResourceType Events = ResourceCatalog.Get("", "events");

    private readonly InformedRegistry _registry;
    private readonly EventRecorder _recorder;
    private readonly CronJobController _controller;
    private readonly CancellationTokenSource _recording = new();
    private Task _recorderRun = Task.CompletedTask;

    private CronJobHarness(InformedRegistry registry)
    {
        _registry = registry;
        _recorder = new EventRecorder(registry.Client, "cronjob-controller", new SteppingClock(registry.Context.Time), NullLogger.Instance);
        _controller = new CronJobController(
            registry.Informers, registry.Client, _recorder, registry.Context.Time, TimeZoneInfo.Utc, NullLogger<CronJobController>.Instance);
    }

    public InProcessClient Client => _registry.Client;

    public FakeTimeProvider Time => _registry.Context.Time;

    public CancellationToken Ct => _registry.Context.Ct;

    public static async Task<CronJobHarness> StartAsync()
    {
        var harness = new CronJobHarness(await InformedRegistry.CreateAsync());
        await harness._registry.RunInformersAsync();
        harness._recorderRun = harness._recorder.RunAsync(harness._recording.Token);
        return harness;
    }

    public static V1CronJob CronJob(string name, string schedule, string concurrencyPolicy = "Allow") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1CronJobSpec
        {
            Schedule = schedule,
            ConcurrencyPolicy = concurrencyPolicy,
            JobTemplate = new V1JobTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1JobSpec
                {
                    Template = new V1PodTemplateSpec
                    {
                        Spec = new V1PodSpec { RestartPolicy = "OnFailure", Containers = [new V1Container { Name = "hello", Image = "busybox" }] },
                    },
                },
            },
        },
    };

    public Task<V1CronJob> CreateAsync(V1CronJob cronJob) => Client.CreateAsync(cronJob, Ct);

    /// <summary>One sync, once the informers hold the CronJobs and Jobs as stored; returns when it asks to be synced again.</summary>
    public async Task<TimeSpan?> SyncAsync(string name)
    {
        await _registry.SettleAsync<V1CronJob>(CronJobs);
        await _registry.SettleAsync<V1Job>(Jobs);
        return await _controller.SyncAsync($"default/{name}", Ct);
    }

    /// <summary>A Job of <paramref name="owner"/>'s, finished as <paramref name="outcome"/> (Complete or Failed) after starting at <paramref name="started"/>.</summary>
    public async Task<V1Job> CreateFinishedJobAsync(V1CronJob owner, string name, string outcome, DateTimeOffset started)
    {
        var job = new V1Job
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", OwnerReferences = [OwnerReferences.NewControllerRef(owner)] },
            Spec = KubernetesJson.Deserialize<V1JobSpec>(KubernetesJson.Serialize(owner.Spec.JobTemplate.Spec)),
        };
        await Client.CreateAsync(job, Ct);
        var at = started.UtcDateTime;
        return await Client.MutateAsync<V1Job>("default", name, j => j.Status = new V1JobStatus
        {
            Conditions = outcome == "Complete"
                ? [new V1JobCondition { Type = "SuccessCriteriaMet", Status = "True", LastTransitionTime = at }, new V1JobCondition { Type = "Complete", Status = "True", LastTransitionTime = at }]
                : [new V1JobCondition { Type = "FailureTarget", Status = "True", LastTransitionTime = at }, new V1JobCondition { Type = "Failed", Status = "True", LastTransitionTime = at }],
            StartTime = at,
            CompletionTime = outcome == "Complete" ? at.AddSeconds(30) : null,
            Succeeded = outcome == "Complete" ? 1 : null,
            Failed = outcome == "Complete" ? null : 1,
        }, Ct, "status");
    }

    public V1CronJob StoredCronJob(string name) => KubernetesJson.Deserialize<V1CronJob>(_registry.Context.Get(CronJobs, name)!.ToJsonString());

    public V1Job? StoredJob(string name) =>
        _registry.Context.Get(Jobs, name) is { } json ? KubernetesJson.Deserialize<V1Job>(json.ToJsonString()) : null;

    public List<V1Job> StoredJobs() => [.. List(Jobs).Select(json => KubernetesJson.Deserialize<V1Job>(json))];

    /// <summary>The events about the CronJob, once every event recorded before has been written.</summary>
    public async Task<List<Corev1Event>> EventsAsync(string name)
    {
        var marker = Guid.NewGuid().ToString();
        _recorder.Record(StoredCronJob(name), "Normal", "Marker", marker);
        while (!AllEvents().Any(e => e.Message == marker))
        {
            await Task.Delay(5, Ct);
        }

        return [.. AllEvents().Where(e => e.Reason != "Marker" && e.InvolvedObject.Name == name)];
    }

    public async ValueTask DisposeAsync()
    {
        await _recording.CancelAsync();
        await _recorderRun;
        await _registry.DisposeAsync();
        _recording.Dispose();
    }

    private List<Corev1Event> AllEvents() => [.. List(Events).Select(json => KubernetesJson.Deserialize<Corev1Event>(json))];

    private List<string> List(ResourceType type) =>
        [.. _registry.Context.Cache.List(type.KeyPrefix, new WatchFilter(type.NamespacePrefix("default"))).Items.Select(o => System.Text.Encoding.UTF8.GetString(o.Json))];
}
