using Gantry.Server.Kernel;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Scheduling;

public sealed class PodRequestsTests
{
    [Fact]
    public void Containers_add_up_and_an_init_container_counts_when_it_asks_for_more()
    {
        var pod = new V1Pod
        {
            Spec = new V1PodSpec
            {
                Containers = [Container("250m"), Container("250m")],
                InitContainers = [Container("1")],
            },
        };

        var requests = PodRequests.Of(pod);

        Assert.Equal(1000, requests.CpuMillis);
        Assert.Equal(1, requests.Pods);
    }

    [Fact]
    public void Sidecars_add_to_the_containers_because_they_run_beside_them()
    {
        var pod = new V1Pod
        {
            Spec = new V1PodSpec
            {
                Containers = [Container("500m")],
                InitContainers = [Sidecar("200m"), Container("600m")],
            },
        };

        var requests = PodRequests.Of(pod);

        Assert.Equal(800, requests.CpuMillis);
    }

    [Fact]
    public void An_init_container_needs_its_own_request_plus_the_sidecars_started_before_it()
    {
        var pod = new V1Pod
        {
            Spec = new V1PodSpec
            {
                Containers = [Container("100m")],
                InitContainers = [Sidecar("300m"), Container("1"), Sidecar("400m")],
            },
        };

        var requests = PodRequests.Of(pod);

        // The init container runs beside the first sidecar only: 1 + 300m, more than 100m + 300m + 400m.
        Assert.Equal(1300, requests.CpuMillis);
    }

    [Fact]
    public void A_limit_without_a_request_is_requested()
    {
        var pod = new V1Pod
        {
            Spec = new V1PodSpec
            {
                Containers = [new V1Container
                {
                    Name = "c",
                    Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("128Mi"), ["nvidia.com/gpu"] = new("1") } },
                }],
            },
        };

        var requests = PodRequests.Of(pod);

        Assert.Equal(128L * 1024 * 1024, requests.MemoryBytes);
        Assert.Equal(1, requests.Extended["nvidia.com/gpu"]);
    }

    private static V1Container Sidecar(string cpu)
    {
        var sidecar = Container(cpu);
        sidecar.Name = "sidecar" + cpu;
        sidecar.RestartPolicy = "Always";
        return sidecar;
    }

    private static V1Container Container(string cpu) => new()
    {
        Name = "c" + cpu,
        Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu) } },
    };
}
