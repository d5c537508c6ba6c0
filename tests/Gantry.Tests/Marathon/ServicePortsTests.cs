using System.Text.Json.Nodes;
using Gantry.Server.Marathon;
using Xunit;

namespace Gantry.Tests.Marathon;

public sealed class ServicePortsTests
{
    private static int[] Assigned(string portDefinitions, params int[] taken)
    {
        var definition = new JsonObject { ["portDefinitions"] = JsonNode.Parse(portDefinitions) };
        ServicePorts.Assign(definition, taken);
        return [.. definition["portDefinitions"]!.AsArray().Select(p => p!["port"]!.GetValue<int>())];
    }

    [Fact]
    public void A_port_0_definition_gets_the_first_service_port()
    {
        Assert.Equal([10000], Assigned("""[{"port":0}]"""));
    }

    [Fact]
    public void Two_port_0_definitions_of_one_app_get_different_ports()
    {
        Assert.Equal([10000, 10001], Assigned("""[{"port":0},{"port":0}]"""));
    }

    [Fact]
    public void Ports_other_apps_hold_are_skipped()
    {
        Assert.Equal([10002], Assigned("""[{"port":0}]""", 10000, 10001));
    }

    [Fact]
    public void A_port_asked_for_by_number_is_kept()
    {
        Assert.Equal([8080, 10000], Assigned("""[{"port":8080},{"port":0}]""", 8080));
    }
}
