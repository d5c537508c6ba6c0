using Gantry.Agent.Proxy;
using Xunit;

namespace Gantry.Tests.Proxy;

public sealed class ChainNamesTests
{
    private static readonly ProxyServicePort Svc1 = new("ns1", "svc1", "p80", "tcp", "172.30.0.41", 80, 0, [], null, false, false);

    [Fact]
    public void Service_chains_are_named_as_kube_proxy_names_them()
    {
        Assert.Equal("service-ULMVA6XW-ns1/svc1/tcp/p80", ChainNames.Cluster(Svc1));
        Assert.Equal("local-ULMVA6XW-ns1/svc1/tcp/p80", ChainNames.Local(Svc1));
        Assert.Equal("external-ULMVA6XW-ns1/svc1/tcp/p80", ChainNames.External(Svc1));
    }

    [Fact]
    public void Endpoint_chains_and_affinity_sets_are_named_as_kube_proxy_names_them()
    {
        var endpoint = new ProxyEndpoint("10.180.0.1", 80, true, true, false, false);

        Assert.Equal("endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80", ChainNames.Endpoint(Svc1, endpoint));
        Assert.Equal("affinity-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80", ChainNames.Affinity(Svc1, endpoint));
    }

    [Fact]
    public void Only_per_service_chains_count_as_service_chains()
    {
        Assert.True(ChainNames.IsServiceChain(ChainNames.Cluster(Svc1)));
        Assert.False(ChainNames.IsServiceChain("reject-chain"));
    }
}
