using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Gantry.Server.Kernel;
using Gantry.Server.Mesos;
using Gantry.Server.Storage;
using Gantry.Tests.Controllers;
using Gantry.Tests.Kernel;
using Gantry.Tests.Registry;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Gantry.Tests.Mesos;

/// <summary>
/// The master over a real allocator and a registry, driven by hand: its loop never runs, allocation rounds are the
/// test's, and its informers run only in the tests that need it to see the pods of its tasks.
/// </summary>
public sealed class MesosMasterTests : IAsyncLifetime
{
    private static readonly TimeSpan Refuse = Allocator.DefaultRefusal;

    private InformedRegistry _registry = null!;
    private Allocator _allocator = null!;
    private AllocationLoop _loop = null!;
    private MesosMaster _master = null!;

    private CancellationToken Ct => _registry.Context.Ct;

    public async Task InitializeAsync()
    {
        _registry = await InformedRegistry.CreateAsync();
        var ledger = new ResourceLedger();
        ledger.SetNode("n1", Resources.Of(4, 4096));
        _allocator = new Allocator(ledger, _registry.Context.Time);
        _loop = new AllocationLoop(_allocator);
        _master = new MesosMaster(_allocator, _loop, _registry.Client, _registry.Informers, _registry.Context.Time, NullLogger<MesosMaster>.Instance);
    }

    public async Task DisposeAsync()
    {
        _master.Dispose();
        _loop.Dispose();
        await _registry.DisposeAsync();
    }

    private FrameworkSession Subscribe(string? frameworkId = null, params string[] capabilities) =>
        _master.Subscribe(new JsonObject
        {
            ["user"] = "root",
            ["name"] = "spark",
            ["capabilities"] = new JsonArray([.. capabilities.Select(c => new JsonObject { ["type"] = c })]),
        }, frameworkId, []);

    private MesosFramework Framework(FrameworkSession session)
    {
        var framework = _master.Caller(session.FrameworkId, session.StreamId, out var error);
        Assert.Null(error);
        return framework!;
    }

    /// <summary>Runs a round, which offers the whole node to the only framework there is.</summary>
    private Offer Offer(FrameworkSession session)
    {
        _allocator.Allocate();
        return Assert.Single(_allocator.OutstandingOffers(session.FrameworkId));
    }

    private static JsonObject TaskInfo(string id, double cpus = 1, double mem = 128) => new()
    {
        ["name"] = id,
        ["task_id"] = new JsonObject { ["value"] = id },
        ["agent_id"] = new JsonObject { ["value"] = "n1" },
        ["command"] = new JsonObject { ["value"] = "sleep 1000" },
        ["resources"] = new JsonArray(Scalar("cpus", cpus), Scalar("mem", mem)),
    };

    private static JsonObject Scalar(string name, double value) =>
        new() { ["name"] = name, ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = value } };

    /// <summary>The statuses of the UPDATE events the session has queued since it was last read.</summary>
    private static async Task<List<JsonObject>> UpdatesAsync(FrameworkSession session) =>
        [.. (await SessionEvents.ReadAsync(session)).Where(e => e["type"]!.GetValue<string>() == "UPDATE").Select(SessionEvents.Status)];

    /// <summary>Reads the session until it reports <paramref name="state"/>; the statuses before it are passed over.</summary>
    private static async Task<JsonObject> UntilUpdateAsync(FrameworkSession session, string state)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            if ((await UpdatesAsync(session)).FirstOrDefault(s => s["state"]!.GetValue<string>() == state) is { } status)
            {
                return status;
            }
        }

        throw new TimeoutException($"no {state} update in 10 s");
    }

    private static (string State, string Message, string Reason) Summary(JsonObject status) =>
        (status["state"]!.GetValue<string>(), status["message"]!.GetValue<string>(), status["reason"]!.GetValue<string>());

    /// <summary>The pods of tasks as the store holds them.</summary>
    private List<V1Pod> StoredTaskPods()
    {
        var pods = RegistryTestContext.Pods;
        return [.. _registry.Context.Cache.List(pods.KeyPrefix, new WatchFilter(pods.NamespacePrefix(TaskPods.Namespace))).Items
            .Select(o => KubernetesJson.Deserialize<V1Pod>(Encoding.UTF8.GetString(o.Json)))];
    }

    /// <summary>Launches one task on the whole node's offer and waits until the master has seen its pod.</summary>
    private async Task<(FrameworkSession Session, MesosFramework Framework, V1Pod Pod)> LaunchSeenAsync(string taskId, params string[] capabilities)
    {
        await _registry.RunInformersAsync();
        var session = Subscribe(null, capabilities);
        var framework = Framework(session);
        await _master.AcceptAsync(framework, [Offer(session).Id], [TaskInfo(taskId)], Refuse, Ct);
        Assert.True(await EventuallyAsync(() => framework.Tasks.GetValueOrDefault(taskId)?.Pod is not null), "the master never saw the task's pod");
        return (session, framework, Assert.Single(StoredTaskPods()));
    }

    private static async Task<bool> EventuallyAsync(Func<bool> done)
    {
        var waited = Stopwatch.StartNew();
        while (!done())
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(5))
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }

    [Fact]
    public async Task A_new_framework_is_given_a_new_id_in_the_first_event_of_its_stream()
    {
        var first = Subscribe();
        var second = Subscribe();

        var subscribed = (await SessionEvents.ReadAsync(first))[0];

        Assert.Equal("SUBSCRIBED", subscribed["type"]!.GetValue<string>());
        Assert.Equal(first.FrameworkId, subscribed["subscribed"]!["framework_id"]!["value"]!.GetValue<string>());
        Assert.Equal(15, subscribed["subscribed"]!["heartbeat_interval_seconds"]!.GetValue<double>());
        Assert.NotEqual(first.FrameworkId, second.FrameworkId);
    }

    [Fact]
    public async Task A_subscribed_framework_is_offered_the_node()
    {
        var session = Subscribe();

        var offer = Offer(session);

        var offers = (await SessionEvents.ReadAsync(session)).Single(e => e["type"]!.GetValue<string>() == "OFFERS");
        var sent = Assert.Single(offers["offers"]!["offers"]!.AsArray())!;
        Assert.Equal(offer.Id, sent["id"]!["value"]!.GetValue<string>());
        Assert.Equal("n1", sent["agent_id"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void A_call_on_another_stream_than_the_frameworks_is_refused()
    {
        var session = Subscribe();

        var framework = _master.Caller(session.FrameworkId, "not-the-stream", out var error);

        Assert.Null(framework);
        Assert.Equal(
            new MesosCallError(400, $"The stream ID 'not-the-stream' included in this request didn't match the stream ID currently associated with framework ID {session.FrameworkId}"),
            error);
    }

    [Fact]
    public void A_call_without_a_stream_id_is_refused()
    {
        var session = Subscribe();

        _master.Caller(session.FrameworkId, null, out var error);

        Assert.Equal(new MesosCallError(400, "All non-subscribe calls should include the 'Mesos-Stream-Id' header"), error);
    }

    [Fact]
    public void A_call_of_a_framework_that_never_subscribed_is_refused_as_unknown()
    {
        _master.Caller("nobody", "any", out var error);

        Assert.Equal(new MesosCallError(400, "Framework cannot be found"), error);
    }

    [Fact]
    public async Task Subscribing_again_ends_the_old_stream_with_framework_failed_over()
    {
        var old = Subscribe();
        var current = Subscribe(old.FrameworkId);

        var (events, ended) = await SessionEvents.StreamAsync(old);

        Assert.True(ended);
        Assert.Equal(["SUBSCRIBED", "ERROR"], events.Select(e => e["type"]!.GetValue<string>()));
        Assert.Equal("Framework failed over", events[^1]["error"]!["message"]!.GetValue<string>());
        Assert.Equal(old.FrameworkId, current.FrameworkId);
    }

    [Fact]
    public void After_a_failover_only_the_new_stream_is_the_frameworks()
    {
        var old = Subscribe();
        var current = Subscribe(old.FrameworkId);

        Assert.Null(_master.Caller(old.FrameworkId, old.StreamId, out _));
        Assert.NotNull(_master.Caller(current.FrameworkId, current.StreamId, out _));
    }

    [Fact]
    public async Task A_framework_torn_down_is_told_so_on_its_stream()
    {
        var session = Subscribe();

        await _master.TearDownAsync(session.FrameworkId, "the test asked");

        var (events, ended) = await SessionEvents.StreamAsync(session);
        Assert.True(ended);
        Assert.Equal("Framework has been removed", events[^1]["error"]!["message"]!.GetValue<string>());
        _master.Caller(session.FrameworkId, session.StreamId, out var error);
        Assert.Equal(new MesosCallError(400, "Framework cannot be found"), error);
    }

    [Fact]
    public async Task A_framework_torn_down_that_subscribes_again_is_only_told_it_was_removed()
    {
        var first = Subscribe();
        await _master.TearDownAsync(first.FrameworkId, "the test asked");

        var again = Subscribe(first.FrameworkId);

        var (events, ended) = await SessionEvents.StreamAsync(again);
        Assert.True(ended);
        var error = Assert.Single(events);
        Assert.Equal("ERROR", error["type"]!.GetValue<string>());
        Assert.Equal("Framework has been removed", error["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Tasks_launched_on_an_offer_that_is_not_outstanding_are_lost()
    {
        var session = Subscribe();

        await _master.AcceptAsync(Framework(session), ["offer-404"], [TaskInfo("t1")], Refuse, Ct);

        var status = Assert.Single(await UpdatesAsync(session));
        Assert.Equal(
            ("TASK_LOST", "Task launched with invalid offers: Offer offer-404 is no longer valid", "REASON_INVALID_OFFERS"), Summary(status));
        Assert.Equal("t1", status["task_id"]!["value"]!.GetValue<string>());
        Assert.Empty(StoredTaskPods());
    }

    [Fact]
    public async Task Tasks_launched_on_an_offer_that_is_not_outstanding_are_dropped_for_a_partition_aware_framework()
    {
        var session = Subscribe(null, "PARTITION_AWARE");

        await _master.AcceptAsync(Framework(session), ["offer-404"], [TaskInfo("t1")], Refuse, Ct);

        Assert.Equal("TASK_DROPPED", Assert.Single(await UpdatesAsync(session))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_task_needing_more_than_was_offered_is_an_error()
    {
        var session = Subscribe();

        await _master.AcceptAsync(Framework(session), [Offer(session).Id], [TaskInfo("big", cpus: 8)], Refuse, Ct);

        var status = Assert.Single(await UpdatesAsync(session));
        Assert.Equal(
            ("TASK_ERROR", "Task uses more resources cpus:8; mem:128; disk:0 than available cpus:4; mem:4096; disk:0", "REASON_TASK_INVALID"),
            Summary(status));
        Assert.Empty(StoredTaskPods());
    }

    [Fact]
    public async Task A_task_that_fails_its_checks_is_an_error_and_the_others_are_launched()
    {
        var session = Subscribe();
        var bad = TaskInfo("bad");
        bad["agent_id"] = new JsonObject { ["value"] = "n2" };

        await _master.AcceptAsync(Framework(session), [Offer(session).Id], [bad, TaskInfo("good")], Refuse, Ct);

        var status = Assert.Single(await UpdatesAsync(session));
        Assert.Equal(("bad", "TASK_ERROR"), (status["task_id"]!["value"]!.GetValue<string>(), status["state"]!.GetValue<string>()));
        Assert.Equal("good", Assert.Single(StoredTaskPods()).Metadata.Annotations[TaskPods.TaskIdAnnotation]);
    }

    [Fact]
    public async Task A_launched_task_is_a_pod_of_its_framework_on_the_offers_node_in_the_mesos_namespace()
    {
        var session = Subscribe();

        await _master.AcceptAsync(Framework(session), [Offer(session).Id], [TaskInfo("t1")], Refuse, Ct);

        var pod = Assert.Single(StoredTaskPods());
        Assert.Equal("mesos", pod.Metadata.NamespaceProperty);
        Assert.Equal("t1", pod.Metadata.Annotations[TaskPods.TaskIdAnnotation]);
        Assert.Equal(session.FrameworkId, pod.Metadata.Labels[PodFramework.Label]);
        Assert.Equal("n1", pod.Spec.NodeName);
        Assert.Empty(await UpdatesAsync(session));
    }

    [Fact]
    public async Task A_launched_tasks_resources_are_committed_to_its_framework_under_its_pod()
    {
        var session = Subscribe();

        await _master.AcceptAsync(Framework(session), [Offer(session).Id], [TaskInfo("t1", cpus: 1.5)], Refuse, Ct);

        var allocation = _allocator.Ledger.Find(PodFramework.ExternalAllocationId("mesos", Assert.Single(StoredTaskPods()).Metadata.Name));
        Assert.NotNull(allocation);
        Assert.Equal((session.FrameworkId, "n1", 1500L), (allocation.FrameworkId, allocation.Node, allocation.Resources.CpuMillis));
    }

    [Fact]
    public async Task What_a_launch_leaves_of_the_offer_is_kept_from_the_framework_for_its_refuse_seconds()
    {
        var session = Subscribe();

        await _master.AcceptAsync(Framework(session), [Offer(session).Id], [TaskInfo("t1")], TimeSpan.FromSeconds(30), Ct);

        _registry.Context.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(_allocator.Allocate());
        _registry.Context.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(3000, Assert.Single(_allocator.Allocate()).Resources.CpuMillis);
    }

    [Fact]
    public async Task A_task_id_used_twice_in_one_accept_launches_once_and_the_second_is_an_error()
    {
        var session = Subscribe();

        await _master.AcceptAsync(Framework(session), [Offer(session).Id], [TaskInfo("t1"), TaskInfo("t1")], Refuse, Ct);

        var status = Assert.Single(await UpdatesAsync(session));
        Assert.Equal(("TASK_ERROR", "Task has duplicate ID: t1", "REASON_TASK_INVALID"), Summary(status));
        Assert.Single(StoredTaskPods());
    }

    [Fact]
    public async Task Killing_a_task_the_master_does_not_know_reports_it_lost()
    {
        var session = Subscribe();

        await _master.KillAsync(Framework(session), "ghost", "n1", Ct);

        var status = Assert.Single(await UpdatesAsync(session));
        Assert.Equal(("TASK_LOST", "Reconciliation: Task is unknown", "REASON_RECONCILIATION"), Summary(status));
    }

    [Fact]
    public async Task The_state_shows_the_node_as_an_agent_and_the_framework_with_its_running_task()
    {
        var (session, _, pod) = await LaunchSeenAsync("t1");
        await _registry.Client.MutateAsync<V1Pod>(TaskPods.Namespace, pod.Metadata.Name, p => p.Status.Phase = "Running", Ct, subresource: "status");
        await UntilUpdateAsync(session, "TASK_RUNNING");

        var state = _master.State("10.0.0.1", "10.0.0.1:6443");

        Assert.Equal(("master@10.0.0.1:6443", "10.0.0.1"), (state["leader"]!.GetValue<string>(), state["hostname"]!.GetValue<string>()));
        var agent = Assert.Single(state["slaves"]!.AsArray())!;
        Assert.Equal(("n1", 4.0, 4096.0), (agent["id"]!.GetValue<string>(), agent["resources"]!["cpus"]!.GetValue<double>(), agent["resources"]!["mem"]!.GetValue<double>()));
        Assert.Equal((1.0, 128.0), (agent["used_resources"]!["cpus"]!.GetValue<double>(), agent["used_resources"]!["mem"]!.GetValue<double>()));
        var framework = Assert.Single(state["frameworks"]!.AsArray())!;
        Assert.Equal((session.FrameworkId, "spark", true, false), (
            framework["id"]!.GetValue<string>(), framework["name"]!.GetValue<string>(), framework["active"]!.GetValue<bool>(), framework["recovered"]!.GetValue<bool>()));
        var task = Assert.Single(framework["tasks"]!.AsArray())!;
        Assert.Equal(("t1", "t1", "n1", "TASK_RUNNING", 1.0), (
            task["id"]!.GetValue<string>(), task["name"]!.GetValue<string>(), task["slave_id"]!.GetValue<string>(), task["state"]!.GetValue<string>(),
            task["resources"]!["cpus"]!.GetValue<double>()));
        Assert.Empty(framework["completed_tasks"]!.AsArray());
    }

    [Fact]
    public async Task A_finished_task_is_listed_among_its_frameworks_completed_tasks_once_its_end_is_acknowledged()
    {
        var (session, framework, pod) = await LaunchSeenAsync("t1");
        await _registry.Client.MutateAsync<V1Pod>(TaskPods.Namespace, pod.Metadata.Name, p => p.Status.Phase = "Succeeded", Ct, subresource: "status");
        var finished = await UntilUpdateAsync(session, "TASK_FINISHED");
        var unacknowledged = Assert.Single(_master.State("gantry", "gantry:6443")["frameworks"]!.AsArray())!;

        await _master.AcknowledgeAsync(framework, "t1", finished["uuid"]!.GetValue<string>(), Ct);

        Assert.Single(unacknowledged["tasks"]!.AsArray());
        var state = Assert.Single(_master.State("gantry", "gantry:6443")["frameworks"]!.AsArray())!;
        Assert.Empty(state["tasks"]!.AsArray());
        Assert.Equal("TASK_FINISHED", Assert.Single(state["completed_tasks"]!.AsArray())!["state"]!.GetValue<string>());
    }

    [Fact]
    public void A_command_that_could_not_start_is_not_said_to_have_run()
    {
        var pod = new V1Pod
        {
            Status = new V1PodStatus
            {
                Phase = "Failed",
                ContainerStatuses = [new V1ContainerStatus { State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 128, Reason = "StartError" } } }],
            },
        };

        Assert.False(TaskState.RanBefore(TaskState.OfPod(pod, killRequested: false), pod));
    }

    [Fact]
    public async Task A_command_that_ran_and_exited_between_two_looks_at_its_pod_is_reported_running_before_finished()
    {
        var (session, framework, pod) = await LaunchSeenAsync("t1");

        await _registry.Client.MutateAsync<V1Pod>(TaskPods.Namespace, pod.Metadata.Name, p =>
        {
            p.Status.Phase = "Succeeded";
            p.Status.ContainerStatuses = [new V1ContainerStatus
            {
                Name = "task",
                Image = "none",
                ImageID = "",
                Ready = false,
                RestartCount = 0,
                State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 0, Reason = "Completed" } },
            }];
        }, Ct, subresource: "status");

        var running = await UntilUpdateAsync(session, "TASK_RUNNING");
        Assert.Empty(await UpdatesAsync(session));
        await _master.AcknowledgeAsync(framework, "t1", running["uuid"]!.GetValue<string>(), Ct);
        Assert.Equal("TASK_FINISHED", Assert.Single(await UpdatesAsync(session))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_tasks_pod_that_runs_is_reported_running_to_be_acknowledged()
    {
        var (session, _, pod) = await LaunchSeenAsync("t1");

        await _registry.Client.MutateAsync<V1Pod>(TaskPods.Namespace, pod.Metadata.Name, p => p.Status.Phase = "Running", Ct, subresource: "status");

        var status = await UntilUpdateAsync(session, "TASK_RUNNING");
        Assert.False(string.IsNullOrEmpty(status["uuid"]?.GetValue<string>()));
    }

    [Fact]
    public async Task Killing_a_task_deletes_its_pod_and_reports_killing_to_a_framework_that_asked_for_that_state()
    {
        var (session, framework, pod) = await LaunchSeenAsync("t1", "TASK_KILLING_STATE");

        await _master.KillAsync(framework, "t1", "n1", Ct);

        await UntilUpdateAsync(session, "TASK_KILLING");
        Assert.All(StoredTaskPods(), p => Assert.NotNull(p.Metadata.DeletionTimestamp));
        Assert.Equal(pod.Metadata.Name, Assert.Single(StoredTaskPods()).Metadata.Name);
    }

    [Fact]
    public async Task Tearing_a_framework_down_deletes_the_pods_of_its_tasks()
    {
        var (session, _, _) = await LaunchSeenAsync("t1");

        await _master.TearDownAsync(session.FrameworkId, "the test asked");

        Assert.All(StoredTaskPods(), p => Assert.NotNull(p.Metadata.DeletionTimestamp));
    }

    [Fact]
    public async Task A_task_killed_after_its_launch_but_before_the_master_saw_its_pod_has_its_pod_deleted()
    {
        var session = Subscribe();
        var framework = Framework(session);
        await _master.AcceptAsync(framework, [Offer(session).Id], [TaskInfo("t1")], Refuse, Ct);

        // The framework's KILL comes as soon as its ACCEPT is answered, before the pod informer has delivered the pod.
        await _master.KillAsync(framework, "t1", "n1", Ct);
        await _registry.RunInformersAsync();

        Assert.True(await EventuallyAsync(() => StoredTaskPods().All(p => p.Metadata.DeletionTimestamp is not null)), "the killed task's pod is still running");
    }
}
