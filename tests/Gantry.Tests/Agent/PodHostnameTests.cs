using Gantry.Agent.Pods;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Agent;

public sealed class PodHostnameTests
{
    private static V1Pod Pod(string name, string? hostname = null, string? subdomain = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "team" },
        Spec = new V1PodSpec { Hostname = hostname, Subdomain = subdomain, Containers = [] },
    };

    [Fact]
    public void The_hostname_is_the_pods_name_with_no_domain()
    {
        Assert.Equal(new PodHostname("web-1", ""), PodHostname.For(Pod("web-1"), "cluster.local"));
    }

    [Fact]
    public void Spec_hostname_and_subdomain_name_the_pod_under_its_namespaces_services()
    {
        Assert.Equal(new PodHostname("db-0", "db.team.svc.cluster.local"), PodHostname.For(Pod("x", "db-0", "db"), "cluster.local"));
    }

    [Fact]
    public void A_long_name_is_cut_to_63_characters_without_a_trailing_dash()
    {
        var name = new string('a', 62) + "-b";

        Assert.Equal(new string('a', 62), PodHostname.For(Pod(name), "cluster.local").Hostname);
    }

    [Fact]
    public void The_kernel_gets_the_FQDN_only_with_setHostnameAsFQDN_and_a_domain()
    {
        var hostname = PodHostname.For(Pod("x", "db-0", "db"), "cluster.local");

        Assert.Equal("db-0", hostname.Nodename(setHostnameAsFqdn: false));
        Assert.Equal("db-0.db.team.svc.cluster.local", hostname.Nodename(setHostnameAsFqdn: true));
        Assert.Equal("web-1", PodHostname.For(Pod("web-1"), "cluster.local").Nodename(setHostnameAsFqdn: true));
    }

    [Fact]
    public void An_FQDN_longer_than_the_kernel_allows_is_a_configuration_error()
    {
        var hostname = PodHostname.For(Pod("x", new string('h', 40), new string('s', 20)), "cluster.local");

        Assert.StartsWith("failed to construct FQDN from pod hostname and cluster domain", Assert.Throws<ContainerConfigException>(() => hostname.Nodename(true)).Message);
    }
}
