using Gantry.Agent.Pods;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Agent;

public sealed class PodHostsFileTests
{
    private const string Localhost =
        "# Kubernetes-managed hosts file.\n" +
        "127.0.0.1\tlocalhost\n" +
        "::1\tlocalhost ip6-localhost ip6-loopback\n" +
        "fe00::0\tip6-localnet\n" +
        "fe00::0\tip6-mcastprefix\n" +
        "fe00::1\tip6-allnodes\n" +
        "fe00::2\tip6-allrouters\n";

    private static V1Pod Pod(bool hostNetwork = false, IList<V1HostAlias>? aliases = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web-1", NamespaceProperty = "team" },
        Spec = new V1PodSpec { HostNetwork = hostNetwork, HostAliases = aliases, Containers = [] },
    };

    private static string NoNodeFile() => throw new InvalidOperationException("a pod with its own network does not read the node's hosts file");

    [Fact]
    public void A_pod_with_its_own_network_gets_localhost_and_its_ip_under_its_hostname()
    {
        Assert.Equal(Localhost + "10.244.0.5\tweb-1\n", PodHostsFile.Render(Pod(), new PodHostname("web-1", ""), "10.244.0.5", NoNodeFile));
    }

    [Fact]
    public void A_pod_with_a_domain_is_named_by_its_FQDN_first()
    {
        Assert.Equal(
            Localhost + "10.244.0.5\tdb-0.db.team.svc.cluster.local\tdb-0\n",
            PodHostsFile.Render(Pod(), new PodHostname("db-0", "db.team.svc.cluster.local"), "10.244.0.5", NoNodeFile));
    }

    [Fact]
    public void Host_aliases_follow_one_line_per_ip()
    {
        var aliases = new List<V1HostAlias>
        {
            new() { Ip = "127.0.0.1", Hostnames = ["foo.local", "bar.local"] },
            new() { Ip = "10.1.2.3", Hostnames = ["foo.remote"] },
        };

        Assert.Equal(
            Localhost + "10.244.0.5\tweb-1\n\n# Entries added by HostAliases.\n127.0.0.1\tfoo.local\tbar.local\n10.1.2.3\tfoo.remote\n",
            PodHostsFile.Render(Pod(aliases: aliases), new PodHostname("web-1", ""), "10.244.0.5", NoNodeFile));
    }

    [Fact]
    public void A_host_network_pod_gets_the_nodes_hosts_file_under_a_header()
    {
        var aliases = new List<V1HostAlias> { new() { Ip = "10.1.2.3", Hostnames = ["foo.remote"] } };

        Assert.Equal(
            "# Kubernetes-managed hosts file (host network).\n127.0.0.1 localhost node-7\n\n# Entries added by HostAliases.\n10.1.2.3\tfoo.remote\n",
            PodHostsFile.Render(Pod(hostNetwork: true, aliases), new PodHostname("web-1", ""), "192.0.2.7", () => "127.0.0.1 localhost node-7\n"));
    }
}
