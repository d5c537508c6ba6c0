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
/// The cronjob controller on real informers over a registry whose clock the test moves, synced by the test (its loop
/// never runs). Schedules without a time zone are read in UTC.
/// </summary>
internal sealed class CronJobHarness : IAsyncDisposable
{
    public static readonly ResourceType CronJobs = ResourceCatalog.Get("batch", "cronjobs");
    public static readonly ResourceType Jobs = ResourceCatalog.Get("batch", "jobs");

    private readonly InformedRegistry _registry;
    private readonly RecordedEvents _events;
    private readonly CronJobController _controller;

    private CronJobHarness(InformedRegistry registry)
    {
        _registry = registry;
        _events = registry.RecordEvents("cronjob-controller");
        _controller = new CronJobController(
            registry.Informers, registry.Client, _events.Recorder, registry.Context.Time, TimeZoneInfo.Utc, NullLogger<CronJobController>.Instance);
    }

    public InProcessClient Client => _registry.Client;

    public FakeTimeProvider Time => _registry.Context.Time;

    public CancellationToken Ct => _registry.Context.Ct;

    public static async Task<CronJobHarness> StartAsync()
    {
        var harness = new CronJobHarness(await InformedRegistry.CreateAsync());
        await harness._registry.RunInformersAsync();
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

    public List<V1Job> StoredJobs() => _registry.Context.ListStored<V1Job>(Jobs);

    /// <summary>The events about the CronJob, once every event recorded before has been written.</summary>
    public Task<List<Corev1Event>> EventsAsync(string name) => _events.AboutAsync(StoredCronJob(name));

    public ValueTask DisposeAsync() => _registry.DisposeAsync();
}
