using Gantry.Agent.Pods;
using Gantry.Agent.Runtimes;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Agent;

public sealed class PodStatusBuilderTests
{
    private static readonly DateTime Now = new(2026, 11, 27, 11, 12, 45, 349, DateTimeKind.Utc);

    private static V1Pod Pod(params string[] initContainers) => new()
    {
        Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "team", Uid = "u1" },
        Spec = new V1PodSpec
        {
            RestartPolicy = "Never",
            InitContainers = initContainers.Select(name => new V1Container { Name = name, Image = "busybox" }).ToList(),
            Containers = [new V1Container { Name = "main", Image = "busybox" }],
        },
    };

    private static ContainerRecord Running(string name) => new(name) { Status = new ContainerRunning(42, Now) };

    private static ContainerRecord Exited(string name, int code) =>
        new(name) { Status = new ContainerExited(code, code == 0 ? ExitReason.Completed : ExitReason.Error, Now, Now) };

    private static V1PodStatus Build(V1Pod pod, IReadOnlyList<ContainerRecord> init, IReadOnlyList<ContainerRecord> containers, string? podIp = "10.244.0.5") =>
        PodStatusBuilder.Build(pod, init, containers, podIp, "192.0.2.2", Now, Now);

    [Fact]
    public void Conditions_come_in_the_kubelets_order_with_the_sandbox_condition_first()
    {
        var status = Build(Pod(), [], [Running("main")]);

        Assert.Equal(
            ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"],
            status.Conditions.Select(c => c.Type));
        Assert.All(status.Conditions, c => Assert.Equal("True", c.Status));
    }

    [Fact]
    public void A_pod_without_its_address_is_not_ready_to_start_containers()
    {
        var status = Build(Pod(), [], [new ContainerRecord("main")], podIp: null);

        Assert.Equal("False", status.Conditions.Single(c => c.Type == "PodReadyToStartContainers").Status);
    }

    [Fact]
    public void A_failed_init_container_is_named_in_the_Initialized_condition()
    {
        var status = Build(Pod("i1", "i2"), [Exited("i1", 0), Exited("i2", 3)], [new ContainerRecord("main")]);

        var initialized = status.Conditions.Single(c => c.Type == "Initialized");
        Assert.Equal("False", initialized.Status);
        Assert.Equal("ContainersNotInitialized", initialized.Reason);
        Assert.Equal("containers with incomplete status: [i2]", initialized.Message);
    }

    private static V1Pod WithSidecar(string restartPolicy = "Never")
    {
        var pod = Pod();
        pod.Spec.RestartPolicy = restartPolicy;
        pod.Spec.InitContainers = [new V1Container { Name = "log", Image = "busybox", RestartPolicy = "Always" }];
        return pod;
    }

    private static ContainerRecord Started(ContainerRecord record)
    {
        record.Current = new ContainerHandle("c-" + record.Name, "oci", "u1", "p", "team", record.Name, Now);
        return record;
    }

    [Fact]
    public void A_running_sidecar_initializes_the_pod_and_counts_as_a_ready_container()
    {
        var status = Build(WithSidecar(), [Running("log")], [Started(Running("main"))]);

        Assert.Equal("Running", status.Phase);
        Assert.All(status.Conditions, c => Assert.Equal("True", c.Status));
        Assert.Equal((true, true), (status.InitContainerStatuses.Single().Started, status.InitContainerStatuses.Single().Ready));
    }

    [Fact]
    public void A_sidecar_not_yet_started_keeps_the_pod_initializing()
    {
        var status = Build(WithSidecar(), [new ContainerRecord("log")], [new ContainerRecord("main")]);

        Assert.Equal("Pending", status.Phase);
        Assert.Equal("containers with incomplete status: [log]", status.Conditions.Single(c => c.Type == "Initialized").Message);
    }

    [Fact]
    public void A_sidecar_in_back_off_leaves_the_pod_initialized_but_not_ready_and_is_named_first()
    {
        var sidecar = Exited("log", 1);
        sidecar.WaitingReason = "CrashLoopBackOff";
        var main = Started(new ContainerRecord("main") { Status = new ContainerRunning(42, Now) });
        main.WaitingReason = "ContainerCreating";

        var status = Build(WithSidecar("Always"), [sidecar], [main]);

        Assert.Equal("True", status.Conditions.Single(c => c.Type == "Initialized").Status);
        Assert.Equal("containers with unready status: [log main]", status.Conditions.Single(c => c.Type == "ContainersReady").Message);
    }

    [Fact]
    public void A_pod_whose_containers_succeeded_runs_while_its_sidecar_does_and_then_succeeds_whatever_the_sidecars_exit()
    {
        var main = Started(Exited("main", 0));

        Assert.Equal("Running", Build(WithSidecar(), [Running("log")], [main]).Phase);
        Assert.Equal("Succeeded", Build(WithSidecar(), [Exited("log", 143)], [main]).Phase);
    }

    [Fact]
    public void The_image_id_is_the_one_the_runtime_ran()
    {
        var main = Started(Running("main"));
        main.Current = main.Current! with { ImageRef = "sha256:" + new string('a', 64) };

        Assert.Equal("sha256:" + new string('a', 64), Build(Pod(), [], [main]).ContainerStatuses.Single().ImageID);
    }

    [Fact]
    public void Times_are_whole_seconds()
    {
        var status = Build(Pod(), [], [Running("main")]);

        var second = new DateTime(2026, 11, 27, 11, 12, 45, DateTimeKind.Utc);
        Assert.Equal(second, status.StartTime);
        Assert.Equal(second, status.ContainerStatuses.Single().State.Running.StartedAt);
        Assert.All(status.Conditions, c => Assert.Equal(second, c.LastTransitionTime));
    }

    [Fact]
    public void A_terminated_container_carries_the_termination_message_of_its_instance()
    {
        var handle = new ContainerHandle("c1", "oci", "u1", "p", "team", "main", Now);
        var record = Exited("main", 1);
        record.Current = handle;
        record.TerminationMessages["c1"] = "disk full";

        var status = Build(Pod(), [], [record]);

        Assert.Equal("disk full", status.ContainerStatuses.Single().State.Terminated.Message);
    }

    [Fact]
    public void After_a_restart_the_last_state_carries_the_previous_instances_message()
    {
        var record = Running("main");
        record.Previous = new ContainerHandle("c1", "oci", "u1", "p", "team", "main", Now);
        record.Current = new ContainerHandle("c2", "oci", "u1", "p", "team", "main", Now);
        record.LastTermination = new ContainerExited(2, ExitReason.Error, Now, Now);
        record.TerminationMessages["c1"] = "bad config";

        var status = Build(Pod(), [], [record]);

        Assert.Equal("bad config", status.ContainerStatuses.Single().LastState.Terminated.Message);
    }

    [Fact]
    public void An_empty_termination_message_is_left_out()
    {
        var record = Exited("main", 0);
        record.Current = new ContainerHandle("c1", "oci", "u1", "p", "team", "main", Now);
        record.TerminationMessages["c1"] = "";

        Assert.Null(Build(Pod(), [], [record]).ContainerStatuses.Single().State.Terminated.Message);
    }

    private static V1Pod WithDebugger(V1Pod pod)
    {
        pod.Spec.EphemeralContainers = [new V1EphemeralContainer { Name = "debugger", Image = "busybox" }];
        return pod;
    }

    [Fact]
    public void An_ephemeral_container_is_reported_in_its_own_list_running_but_never_started_or_ready()
    {
        var debugger = Running("debugger");
        debugger.Current = new ContainerHandle("c9", "oci", "u1", "p", "team", "debugger", Now);

        var status = PodStatusBuilder.Build(WithDebugger(Pod()), [], [Running("main")], "10.244.0.5", "192.0.2.2", Now, Now, ephemeralContainers: [debugger]);

        var reported = Assert.Single(status.EphemeralContainerStatuses);
        Assert.Equal("debugger", reported.Name);
        Assert.Equal("oci://c9", reported.ContainerID);
        Assert.NotNull(reported.State.Running);
        Assert.False(reported.Ready);
        Assert.Null(reported.Started);
        Assert.Equal("main", Assert.Single(status.ContainerStatuses).Name);
    }

    [Fact]
    public void An_exited_ephemeral_container_leaves_the_pods_phase_and_readiness_alone()
    {
        var status = PodStatusBuilder.Build(
            WithDebugger(Pod()), [], [Running("main")], "10.244.0.5", "192.0.2.2", Now, Now, ephemeralContainers: [Exited("debugger", 1)]);

        Assert.Equal("Running", status.Phase);
        Assert.Equal("True", status.Conditions.Single(c => c.Type == "Ready").Status);
        Assert.Equal(1, status.EphemeralContainerStatuses.Single().State.Terminated.ExitCode);
    }

    [Fact]
    public void A_pod_without_ephemeral_containers_reports_no_list_of_them()
    {
        Assert.Null(Build(Pod(), [], [Running("main")]).EphemeralContainerStatuses);
    }
}
