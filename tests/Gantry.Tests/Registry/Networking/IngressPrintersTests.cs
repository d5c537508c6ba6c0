using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api.Tables;
using Xunit;

namespace Gantry.Tests.Registry.Networking;

public sealed class IngressPrintersTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ResourceType Ingresses = ResourceCatalog.Get("networking.k8s.io", "ingresses");
    private static readonly ResourceType IngressClasses = ResourceCatalog.Get("networking.k8s.io", "ingressclasses");

    private static string[] Cells(ResourceType type, string json) =>
        [.. TableConverter.ForObject(type, JsonNode.Parse(json)!.AsObject(), Now, IncludeObjectPolicy.Metadata)["rows"]![0]!["cells"]!.AsArray()
            .Select(c => c!.ToString())];

    [Fact]
    public void An_ingress_shows_its_class_hosts_address_and_ports()
    {
        var cells = Cells(Ingresses, """
            {"metadata": {"name": "web", "creationTimestamp": "2025-06-01T11:58:00Z"},
             "spec": {"ingressClassName": "nginx", "rules": [{"host": "a.com"}, {"host": "b.com"}], "tls": [{"hosts": ["a.com"]}]},
             "status": {"loadBalancer": {"ingress": [{"ip": "10.0.0.9"}, {"hostname": "lb.example.com"}, {"ip": "10.0.0.1"}]}}}
            """);

        Assert.Equal(["web", "nginx", "a.com,b.com", "10.0.0.1,10.0.0.9,lb.example.com", "80, 443", "2m"], cells);
    }

    [Fact]
    public void An_ingress_without_class_or_hosts_shows_none_and_a_star()
    {
        var cells = Cells(Ingresses, """{"metadata": {"name": "web"}, "spec": {"defaultBackend": {"service": {"name": "web", "port": {"number": 80}}}}}""");

        Assert.Equal(["<none>", "*", "", "80"], cells[1..5]);
    }

    [Fact]
    public void Hosts_past_the_third_are_counted_as_kube_counts_them()
    {
        var cells = Cells(Ingresses, """
            {"metadata": {"name": "web"}, "spec": {"rules": [{}, {"host": "a.com"}, {"host": "b.com"}, {"host": "c.com"}, {"host": "d.com"}]}}
            """);

        Assert.Equal("a.com,b.com,c.com + 2 more...", cells[2]);
    }

    [Fact]
    public void An_ingress_class_shows_its_controller_and_parameters()
    {
        var cells = Cells(IngressClasses, """
            {"metadata": {"name": "nginx"},
             "spec": {"controller": "k8s.io/ingress-nginx", "parameters": {"apiGroup": "k8s.example.com", "kind": "Config", "name": "default"}}}
            """);

        Assert.Equal(["nginx", "k8s.io/ingress-nginx", "Config.k8s.example.com/default"], cells[..3]);
        Assert.Equal("Config./default", Cells(IngressClasses, """{"metadata": {"name": "x"}, "spec": {"controller": "a.io/b", "parameters": {"apiGroup": "", "kind": "Config", "name": "default"}}}""")[2]);
        Assert.Equal("<none>", Cells(IngressClasses, """{"metadata": {"name": "x"}, "spec": {"controller": "a.io/b"}}""")[2]);
    }
}
