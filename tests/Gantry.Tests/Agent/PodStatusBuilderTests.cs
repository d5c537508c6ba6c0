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

    [Fact]
    public void Times_are_whole_seconds()
    {
        var status = Build(Pod(), [], [Running("main")]);

        var second = new DateTime(2026, 11, 27, 11, 12, 45, DateTimeKind.Utc);
        Assert.Equal(second, status.StartTime);
        Assert.Equal(second, status.ContainerStatuses.Single().State.Running.StartedAt);
        Assert.All(status.Conditions, c => Assert.Equal(second, c.LastTransitionTime));
    }
}
