using Gantry.Agent.Pods;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Agent;

public sealed class PodDnsTests
{
    private static readonly ResolvConf Host = ResolvConf.Parse("# host\nnameserver 192.0.2.53\nsearch corp.example. lab.example\noptions edns0 ndots:1\n");

    private static V1Pod Pod(string? policy = null, bool hostNetwork = false, V1PodDNSConfig? config = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "team" },
        Spec = new V1PodSpec { DnsPolicy = policy, HostNetwork = hostNetwork, DnsConfig = config, Containers = [] },
    };

    [Fact]
    public void ClusterFirst_names_the_cluster_dns_with_the_cluster_search_path_then_the_hosts()
    {
        var conf = PodDns.Default.For(Pod(), Host);

        Assert.Equal(
            "search team.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example\nnameserver 10.96.0.10\noptions ndots:5\n",
            conf.Render());
    }

    [Fact]
    public void A_host_network_pod_uses_the_hosts_resolv_conf_unless_it_asks_for_ClusterFirstWithHostNet()
    {
        Assert.Equal(Host.Render(), PodDns.Default.For(Pod(hostNetwork: true), Host).Render());
        Assert.Equal(["10.96.0.10"], PodDns.Default.For(Pod("ClusterFirstWithHostNet", hostNetwork: true), Host).Nameservers);
    }

    [Fact]
    public void Default_uses_the_hosts_resolv_conf()
    {
        Assert.Equal(Host.Render(), PodDns.Default.For(Pod("Default"), Host).Render());
    }

    [Fact]
    public void None_takes_everything_from_dnsConfig()
    {
        var config = new V1PodDNSConfig
        {
            Nameservers = ["1.2.3.4"],
            Searches = ["ns1.svc.cluster-domain.example"],
            Options = [new V1PodDNSConfigOption { Name = "ndots", Value = "2" }, new V1PodDNSConfigOption { Name = "edns0" }],
        };

        Assert.Equal("search ns1.svc.cluster-domain.example\nnameserver 1.2.3.4\noptions ndots:2 edns0\n", PodDns.Default.For(Pod("None", config: config), Host).Render());
    }

    [Fact]
    public void DnsConfig_merges_into_ClusterFirst_and_its_options_win()
    {
        var config = new V1PodDNSConfig { Nameservers = ["10.96.0.10", "1.1.1.1"], Options = [new V1PodDNSConfigOption { Name = "ndots", Value = "1" }] };

        var conf = PodDns.Default.For(Pod(config: config), Host);

        Assert.Equal(["10.96.0.10", "1.1.1.1"], conf.Nameservers);
        Assert.Equal(["ndots:1"], conf.Options);
    }

    [Fact]
    public void At_most_three_nameservers_are_kept()
    {
        var config = new V1PodDNSConfig { Nameservers = ["1.1.1.1", "2.2.2.2", "3.3.3.3"] };

        Assert.Equal(["10.96.0.10", "1.1.1.1", "2.2.2.2"], PodDns.Default.For(Pod(config: config), Host).Nameservers);
    }
}
