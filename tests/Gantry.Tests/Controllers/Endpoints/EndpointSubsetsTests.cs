using Gantry.Server.Controllers;
using Xunit;
using static Gantry.Tests.Controllers.Endpoints.EndpointTestObjects;

namespace Gantry.Tests.Controllers.Endpoints;

public sealed class EndpointSubsetsTests
{
    [Fact]
    public void Ready_pods_are_addresses_and_unready_ones_not_ready_addresses_under_the_target_port()
    {
        var subsets = EndpointSubsets.Compute(Service(), [Pod("a", "10.88.0.2"), Pod("b", "10.88.0.3"), Pod("c", "10.88.0.4", ready: false)]);

        var subset = Assert.Single(subsets);
        Assert.Equal(["10.88.0.2", "10.88.0.3"], subset.Addresses.Select(a => a.Ip));
        Assert.Equal(["10.88.0.4"], subset.NotReadyAddresses.Select(a => a.Ip));
        var port = Assert.Single(subset.Ports);
        Assert.Equal(8080, port.Port);
        Assert.Equal("TCP", port.Protocol);
        var address = subset.Addresses[0];
        Assert.Equal("node-1", address.NodeName);
        Assert.Equal(("Pod", "default", "a", "uid-a"), (address.TargetRef.Kind, address.TargetRef.NamespaceProperty, address.TargetRef.Name, address.TargetRef.Uid));
    }

    [Fact]
    public void A_named_target_port_resolves_per_pod()
    {
        var subsets = EndpointSubsets.Compute(Service(targetPort: "http"),
            [Pod("a", "10.88.0.2", httpPort: 8080), Pod("b", "10.88.0.3", httpPort: 9090), Pod("c", "10.88.0.4")]);

        Assert.Equal(2, subsets.Count);
        Assert.Equal([("10.88.0.2", 8080), ("10.88.0.3", 9090)], subsets.Select(s => (s.Addresses.Single().Ip, s.Ports.Single().Port)));
    }

    [Fact]
    public void Pods_without_an_ip_finished_being_deleted_or_not_selected_are_left_out()
    {
        var subsets = EndpointSubsets.Compute(Service(),
        [
            Pod("no-ip", null),
            Pod("done", "10.88.0.5", phase: "Succeeded"),
            Pod("going", "10.88.0.6", deleting: true),
            Pod("other", "10.88.0.7", app: "db"),
            Pod("in", "10.88.0.8"),
        ]);

        Assert.Equal(["10.88.0.8"], Assert.Single(subsets).Addresses.Select(a => a.Ip));
    }

    [Fact]
    public void Publishing_not_ready_addresses_lists_every_pod_as_ready()
    {
        var subsets = EndpointSubsets.Compute(Service(publishNotReady: true), [Pod("a", "10.88.0.2", ready: false), Pod("b", "10.88.0.3", deleting: true)]);

        var subset = Assert.Single(subsets);
        Assert.Equal(["10.88.0.2", "10.88.0.3"], subset.Addresses.Select(a => a.Ip));
        Assert.Null(subset.NotReadyAddresses);
    }

    [Fact]
    public void No_selected_pods_means_no_subsets()
    {
        Assert.Empty(EndpointSubsets.Compute(Service(), [Pod("other", "10.88.0.7", app: "db")]));
    }
}
