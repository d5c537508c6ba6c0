using Gantry.Agent.Pods;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Agent;

public sealed class ContainerResourceFieldsTests
{
    private static readonly Dictionary<string, ResourceQuantity> Allocatable = new()
    {
        ["cpu"] = new("4"),
        ["memory"] = new("8Gi"),
        ["ephemeral-storage"] = new("100Gi"),
        ["pods"] = new("110"),
    };

    private static V1Container Container(string name = "app", Dictionary<string, ResourceQuantity>? requests = null, Dictionary<string, ResourceQuantity>? limits = null) =>
        new() { Name = name, Resources = new V1ResourceRequirements { Requests = requests, Limits = limits } };

    private static V1Pod Pod(params V1Container[] containers) => new()
    {
        Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "team" },
        Spec = new V1PodSpec { Containers = containers },
    };

    private static string Value(string resource, V1Container container, string? divisor = null, string? containerName = null, V1Pod? pod = null) =>
        ContainerResourceFields.Value(
            new V1ResourceFieldSelector { Resource = resource, Divisor = divisor is null ? null : new ResourceQuantity(divisor), ContainerName = containerName },
            pod ?? Pod(container),
            container,
            Allocatable);

    [Theory]
    [InlineData("250m", "1m", "250")]
    [InlineData("1", "1", "1")]
    [InlineData("250m", "1", "1")]
    [InlineData("1500m", null, "2")]
    [InlineData("2", "1m", "2000")]
    public void Cpu_is_rounded_up_to_whole_divisors(string limit, string? divisor, string expected)
    {
        var container = Container(limits: new() { ["cpu"] = new(limit) });

        Assert.Equal(expected, Value("limits.cpu", container, divisor));
    }

    [Theory]
    [InlineData("limits.memory", "64Mi", null, "67108864")]
    [InlineData("limits.memory", "64Mi", "1Mi", "64")]
    [InlineData("limits.memory", "1500k", "1M", "2")]
    [InlineData("limits.ephemeral-storage", "1Gi", "1Mi", "1024")]
    public void Memory_and_storage_are_whole_divisors_rounded_up(string resource, string limit, string? divisor, string expected)
    {
        var container = Container(limits: new() { [resource["limits.".Length..]] = new(limit) });

        Assert.Equal(expected, Value(resource, container, divisor));
    }

    [Theory]
    [InlineData("limits.cpu", null, "4")]
    [InlineData("limits.cpu", "1m", "4000")]
    [InlineData("limits.memory", "1Gi", "8")]
    [InlineData("limits.ephemeral-storage", "1Gi", "100")]
    public void A_limit_not_set_is_the_nodes_allocatable(string resource, string? divisor, string expected)
    {
        Assert.Equal(expected, Value(resource, Container(), divisor));
    }

    [Fact]
    public void A_zero_limit_is_the_nodes_allocatable_too()
    {
        Assert.Equal("4", Value("limits.cpu", Container(limits: new() { ["cpu"] = new("0") })));
    }

    [Theory]
    [InlineData("requests.cpu")]
    [InlineData("requests.memory")]
    [InlineData("requests.ephemeral-storage")]
    public void A_request_not_set_is_zero(string resource)
    {
        Assert.Equal("0", Value(resource, Container()));
    }

    [Fact]
    public void Requests_are_read_as_set()
    {
        var container = Container(requests: new() { ["cpu"] = new("100m"), ["memory"] = new("32Mi") });

        Assert.Equal("100", Value("requests.cpu", container, "1m"));
        Assert.Equal("32", Value("requests.memory", container, "1Mi"));
    }

    [Fact]
    public void A_container_name_reads_that_containers_resources()
    {
        var sidecar = Container("sidecar", limits: new() { ["memory"] = new("16Mi") });
        var app = Container();

        Assert.Equal("16", Value("limits.memory", app, "1Mi", containerName: "sidecar", pod: Pod(app, sidecar)));
        Assert.Equal("8192", Value("limits.memory", sidecar, "1Mi", containerName: "app", pod: Pod(app, sidecar)));
    }

    [Fact]
    public void A_named_init_container_keeps_its_unset_limits_as_the_kubelet_defaults_only_app_containers()
    {
        var app = Container();
        var pod = Pod(app);
        pod.Spec.InitContainers = [Container("init")];

        Assert.Equal("0", Value("limits.cpu", app, containerName: "init", pod: pod));
    }

    [Fact]
    public void A_container_name_no_container_has_is_a_config_error()
    {
        var error = Assert.Throws<ContainerConfigException>(() => Value("limits.cpu", Container(), containerName: "ghost"));

        Assert.Equal("container ghost not found", error.Message);
    }

    [Theory]
    [InlineData("limits.pods")]
    [InlineData("requests.nvidia.com/gpu")]
    [InlineData("cpu")]
    public void A_resource_the_downward_api_does_not_offer_is_a_config_error(string resource)
    {
        var error = Assert.Throws<ContainerConfigException>(() => Value(resource, Container()));

        Assert.Equal($"unsupported container resource : {resource}", error.Message);
    }
}
