using System.Net;
using Gantry.Server.ClusterDns;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.ClusterDns;

public sealed class NodeAddressesTests
{
    [Fact]
    public void Internal_IPs_count_and_external_IPs_and_host_names_do_not()
    {
        var nodes = new[]
        {
            Node(("InternalIP", "172.30.5.9"), ("Hostname", "h1")),
            Node(("ExternalIP", "203.0.113.4"), ("InternalDNS", "h2.example")),
            new V1Node(),
        };

        var addresses = NodeAddresses.Collect(nodes);

        Assert.Equal([IPAddress.Parse("172.30.5.9")], addresses);
    }

    private static V1Node Node(params (string Type, string Address)[] addresses) =>
        new() { Status = new V1NodeStatus { Addresses = [.. addresses.Select(a => new V1NodeAddress { Address = a.Address, Type = a.Type })] } };
}
