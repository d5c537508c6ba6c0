using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Gantry.Server.Kernel;
using Gantry.Server.Mesos;
using Xunit;

namespace Gantry.Tests.Mesos;

public sealed class MesosResourcesTests
{
    private const long Mi = 1024 * 1024;

    private static ResourceVector Vector(long cpuMillis, long memoryBytes, long diskBytes, long gpus = 0) =>
        new(cpuMillis, memoryBytes, diskBytes, 110,
            gpus == 0 ? ImmutableSortedDictionary<string, long>.Empty : ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(MesosResources.Gpu, gpus)]));

    private static Dictionary<string, double> Scalars(JsonArray resources) =>
        resources.ToDictionary(r => r!["name"]!.GetValue<string>(), r => r!["scalar"]!["value"]!.GetValue<double>());

    private static JsonArray Resources(string json) => JsonNode.Parse(json)!.AsArray();

    [Fact]
    public void Cpus_are_written_in_cores_and_mem_and_disk_in_whole_megabytes_rounded_down()
    {
        var scalars = Scalars(MesosResources.ToJson(Vector(1500, 100 * Mi + Mi / 2, 2048 * Mi), "analytics"));

        Assert.Equal(new Dictionary<string, double> { ["cpus"] = 1.5, ["mem"] = 100, ["disk"] = 2048 }, scalars);
    }

    [Fact]
    public void Gpus_are_written_only_when_the_node_has_some()
    {
        Assert.Equal(2, Scalars(MesosResources.ToJson(Vector(1000, Mi, 0, gpus: 2), "*"))["gpus"]);
        Assert.DoesNotContain("gpus", Scalars(MesosResources.ToJson(Vector(1000, Mi, 0), "*")).Keys);
    }

    [Fact]
    public void Each_resource_is_an_unreserved_scalar_allocated_to_the_frameworks_role()
    {
        var cpus = MesosResources.ToJson(Vector(1000, Mi, 0), "analytics")[0]!;

        Assert.Equal("SCALAR", cpus["type"]!.GetValue<string>());
        Assert.Equal("*", cpus["role"]!.GetValue<string>());
        Assert.Equal("analytics", cpus["allocation_info"]!["role"]!.GetValue<string>());
    }

    [Fact]
    public void Parsing_sums_a_resource_named_twice()
    {
        var parsed = MesosResources.Parse(Resources("""
            [{"name":"cpus","type":"SCALAR","scalar":{"value":0.5}},{"name":"cpus","type":"SCALAR","scalar":{"value":0.25}},
             {"name":"mem","scalar":{"value":64}},{"name":"disk","scalar":{"value":10}},{"name":"gpus","scalar":{"value":1}}]
            """), out var error);

        Assert.Null(error);
        Assert.Equal(new TaskResources(0.75, 64, 10, 1), parsed);
    }

    [Fact]
    public void Parsing_refuses_a_resource_that_is_not_a_scalar()
    {
        MesosResources.Parse(Resources("""[{"name":"cpus","type":"SET","set":{"item":["a"]}}]"""), out var error);

        Assert.Equal("Resource 'cpus' of type SET is not offered by Gantry (it offers the scalars cpus, mem, disk and gpus)", error);
    }

    [Fact]
    public void Parsing_refuses_a_scalar_gantry_does_not_know()
    {
        MesosResources.Parse(Resources("""[{"name":"bandwidth","type":"SCALAR","scalar":{"value":100}}]"""), out var error);

        Assert.Equal("Resource 'bandwidth' of type SCALAR is not offered by Gantry (it offers the scalars cpus, mem, disk and gpus)", error);
    }

    [Fact]
    public void Parsing_refuses_a_fraction_of_a_gpu()
    {
        MesosResources.Parse(Resources("""[{"name":"gpus","type":"SCALAR","scalar":{"value":0.5}}]"""), out var error);

        Assert.Equal("The 'gpus' resource must be a whole number", error);
    }

    [Fact]
    public void A_task_asks_for_whole_megabytes_as_mebibytes_and_other_amounts_in_bytes()
    {
        var (requests, limits) = new TaskResources(0, 64, 0.5, 0).ToQuantities();

        Assert.Equal("64Mi", limits["memory"].ToString());
        Assert.Equal(524_288m, requests["ephemeral-storage"].ToDecimal());
        Assert.False(limits.ContainsKey("ephemeral-storage"));
    }
}
