using Gantry.Agent.Pods;
using Gantry.Agent.Runtimes;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Agent;

public sealed class ServiceEnvironmentTests
{
    private static readonly V1Service Master = Service("default", "kubernetes", "10.96.0.1", Port(443, "https"));

    private static V1ServicePort Port(int port, string? name = null, string? protocol = null) => new() { Port = port, Name = name, Protocol = protocol };

    private static V1Service Service(string ns, string name, string? clusterIp, params V1ServicePort[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1ServiceSpec { ClusterIP = clusterIp, Ports = ports },
    };

    private static string[] Rendered(IEnumerable<EnvVar> env) => env.Select(v => $"{v.Name}={v.Value}").ToArray();

    [Fact]
    public void Every_pod_gets_the_master_service_family()
    {
        Assert.Equal(
            [
                "KUBERNETES_SERVICE_HOST=10.96.0.1",
                "KUBERNETES_SERVICE_PORT=443",
                "KUBERNETES_SERVICE_PORT_HTTPS=443",
                "KUBERNETES_PORT=tcp://10.96.0.1:443",
                "KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443",
                "KUBERNETES_PORT_443_TCP_PROTO=tcp",
                "KUBERNETES_PORT_443_TCP_PORT=443",
                "KUBERNETES_PORT_443_TCP_ADDR=10.96.0.1",
            ],
            Rendered(ServiceEnvironment.For("team", enableServiceLinks: false, [Master])));
    }

    [Fact]
    public void A_service_of_the_pods_namespace_gets_a_variable_per_named_port_and_a_link_family_per_port()
    {
        var service = Service("team", "my-db", "10.96.4.7", Port(5432, "sql"), Port(9187, "metrics-port", "UDP"));

        Assert.Equal(
            [
                "MY_DB_SERVICE_HOST=10.96.4.7",
                "MY_DB_SERVICE_PORT=5432",
                "MY_DB_SERVICE_PORT_SQL=5432",
                "MY_DB_SERVICE_PORT_METRICS_PORT=9187",
                "MY_DB_PORT=tcp://10.96.4.7:5432",
                "MY_DB_PORT_5432_TCP=tcp://10.96.4.7:5432",
                "MY_DB_PORT_5432_TCP_PROTO=tcp",
                "MY_DB_PORT_5432_TCP_PORT=5432",
                "MY_DB_PORT_5432_TCP_ADDR=10.96.4.7",
                "MY_DB_PORT_9187_UDP=udp://10.96.4.7:9187",
                "MY_DB_PORT_9187_UDP_PROTO=udp",
                "MY_DB_PORT_9187_UDP_PORT=9187",
                "MY_DB_PORT_9187_UDP_ADDR=10.96.4.7",
            ],
            Rendered(ServiceEnvironment.For("team", enableServiceLinks: true, [service])));
    }

    [Fact]
    public void An_unnamed_first_port_has_no_named_variable()
    {
        var env = ServiceEnvironment.For("team", enableServiceLinks: true, [Service("team", "web", "10.96.0.9", Port(80))]);

        Assert.DoesNotContain(env, v => v.Name.StartsWith("WEB_SERVICE_PORT_", StringComparison.Ordinal));
        Assert.Contains(new EnvVar("WEB_SERVICE_PORT", "80"), env);
    }

    [Fact]
    public void Only_services_with_a_cluster_ip_in_the_pods_namespace_are_linked()
    {
        var services = new[]
        {
            Master,
            Service("team", "web", "10.96.0.9", Port(80)),
            Service("team", "headless", "None", Port(80)),
            Service("team", "pending", "", Port(80)),
            Service("other", "elsewhere", "10.96.0.10", Port(80)),
        };

        var hosts = ServiceEnvironment.For("team", enableServiceLinks: true, services).Where(v => v.Name.EndsWith("_SERVICE_HOST", StringComparison.Ordinal));

        Assert.Equal(["KUBERNETES_SERVICE_HOST", "WEB_SERVICE_HOST"], hosts.Select(v => v.Name));
    }

    [Fact]
    public void With_service_links_off_only_the_master_service_is_given()
    {
        var env = ServiceEnvironment.For("team", enableServiceLinks: false, [Master, Service("team", "web", "10.96.0.9", Port(80))]);

        Assert.All(env, v => Assert.StartsWith("KUBERNETES_", v.Name, StringComparison.Ordinal));
    }

    [Fact]
    public void A_kubernetes_service_of_the_pods_own_namespace_shadows_the_masters()
    {
        var own = Service("team", "kubernetes", "10.96.9.9", Port(8080));

        var env = ServiceEnvironment.For("team", enableServiceLinks: true, [own, Master]);

        Assert.Contains(new EnvVar("KUBERNETES_SERVICE_HOST", "10.96.9.9"), env);
        Assert.DoesNotContain(env, v => v.Value.Contains("10.96.0.1", StringComparison.Ordinal));
    }
}
