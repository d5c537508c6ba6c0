using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary><c>kubectl get componentstatuses</c>, the oldest health check of a cluster, deprecated but still served by kube.</summary>
[Collection(GantryCollection.Name)]
public sealed class ComponentStatusTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    [Fact]
    public async Task Get_cs_lists_the_scheduler_the_controller_manager_and_the_store_healthy_with_kubes_deprecation_warning()
    {
        var result = await Ok("get", "cs");

        var rows = result.StdoutLines.Where(l => l.Length > 0).Select(Cells).ToList();
        Check.Equal("NAME STATUS MESSAGE ERROR", string.Join(' ', rows[0]), "columns");
        Check.Equal(
            "controller-manager Healthy ok|scheduler Healthy ok|store-0 Healthy ok",
            string.Join('|', rows.Skip(1).Select(r => string.Join(' ', r))),
            "rows");
        Check.StderrContains(result, "Warning: v1 ComponentStatus is deprecated in v1.19+");
    }

    [Fact]
    public async Task A_component_status_is_read_only()
    {
        var refused = await Fails("delete", "componentstatus", "scheduler");

        Check.StderrContains(refused, "Error from server (MethodNotAllowed): the server does not allow this method on the requested resource");
    }
}
