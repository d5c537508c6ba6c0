using Gantry.Server.Controllers;
using Xunit;
using static Gantry.Tests.Controllers.Endpoints.EndpointTestObjects;

namespace Gantry.Tests.Controllers.Endpoints;

public sealed class EndpointSliceMathTests
{
    [Fact]
    public void Endpoints_carry_ready_serving_and_terminating()
    {
        var slice = Assert.Single(EndpointSliceMath.Desired(Service(),
            [Pod("a", "10.88.0.2"), Pod("b", "10.88.0.3", ready: false), Pod("c", "10.88.0.4", deleting: true)]));

        var conditions = slice.Endpoints.Select(e => (e.Addresses.Single(), e.Conditions.Ready, e.Conditions.Serving, e.Conditions.Terminating));
        Assert.Equal([("10.88.0.2", true, true, false), ("10.88.0.3", false, false, false), ("10.88.0.4", false, true, true)], conditions);
        Assert.Equal(8080, Assert.Single(slice.Ports).Port);
        Assert.Equal("node-1", slice.Endpoints[0].NodeName);
    }

    [Fact]
    public void A_slice_holds_at_most_one_hundred_endpoints()
    {
        var pods = Enumerable.Range(0, 250).Select(i => Pod($"p{i:D3}", $"10.88.{i / 200}.{i % 200 + 2}"));

        var slices = EndpointSliceMath.Desired(Service(), pods);

        Assert.Equal([100, 100, 50], slices.Select(s => s.Endpoints.Count));
    }

    [Fact]
    public void Pods_serving_different_ports_go_to_different_slices()
    {
        var slices = EndpointSliceMath.Desired(Service(targetPort: "http"), [Pod("a", "10.88.0.2", httpPort: 8080), Pod("b", "10.88.0.3", httpPort: 9090)]);

        Assert.Equal([8080, 9090], slices.Select(s => s.Ports.Single().Port).Order());
    }

    [Fact]
    public void A_service_without_pods_gets_an_empty_placeholder_slice()
    {
        var slice = Assert.Single(EndpointSliceMath.Desired(Service(), []));

        Assert.Empty(slice.Endpoints);
        Assert.Empty(slice.Ports);
    }

    [Fact]
    public void Slices_are_labelled_with_their_service_and_controller()
    {
        var labels = EndpointSliceMath.Labels(Service(clusterIp: "None"));

        Assert.Equal("web", labels["kubernetes.io/service-name"]);
        Assert.Equal("endpointslice-controller.k8s.io", labels["endpointslice.kubernetes.io/managed-by"]);
        Assert.Equal("", labels["service.kubernetes.io/headless"]);
    }
}
