using System.Text.RegularExpressions;
using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// Ingresses and IngressClasses (networking.k8s.io/v1) through the real kubectl: <c>kubectl create ingress</c>, the
/// default class given by admission, kube's table and <c>describe</c>, a controller's status write, and kube's
/// validation. Gantry stores them for an ingress controller run on the cluster, as kube-apiserver does; it routes
/// nothing itself.
/// </summary>
[Collection(GantryCollection.Name)]
public sealed class IngressTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    [Fact]
    public async Task Kubectl_create_ingress_gets_the_default_class_and_shows_in_get_and_describe()
    {
        var ns = await CreateNamespaceAsync("ingress");
        var className = ns + "-default";
        await CreateObjectAsync(null, new
        {
            apiVersion = "networking.k8s.io/v1",
            kind = "IngressClass",
            metadata = new { name = className, annotations = new Dictionary<string, string> { ["ingressclass.kubernetes.io/is-default-class"] = "true" } },
            spec = new { controller = "example.com/ingress-controller" },
        });

        await Ok("create", "ingress", "web", "-n", ns, "--rule=foo.com/bar=web:80", "--rule=bar.com/*=web:http,tls=bar-tls");

        Check.Equal(className, await JsonPath(ns, "ingress/web", "{.spec.ingressClassName}"), "the class admission gave");
        var table = (await Ok("get", "ingress", "-n", ns)).StdoutLines;
        Check.Equal("NAME|CLASS|HOSTS|ADDRESS|PORTS|AGE", string.Join('|', Regex.Split(table[0].Trim(), @"\s{2,}")), "the header");
        Check.Equal($"web {className} foo.com,bar.com 80, 443", string.Join(' ', Cells(table[1])[..5]), "the ingress's row");
        var described = await Ok("describe", "ingress", "web", "-n", ns);
        Check.StdoutContains(described, "bar-tls terminates bar.com");
        Check.StdoutContains(described, "/bar   web:80");

        await Ok("delete", "ingressclass", className);
    }

    [Fact]
    public async Task A_controller_records_the_load_balancer_address_in_the_status_and_the_table_shows_it()
    {
        var ns = await CreateNamespaceAsync("ingress-status");
        await Ok("create", "ingress", "web", "-n", ns, "--class=none", "--default-backend=web:80");

        await Ok("patch", "ingress", "web", "-n", ns, "--subresource=status", "--type=merge",
            "-p", """{"status":{"loadBalancer":{"ingress":[{"ip":"10.0.0.9"}]}}}""");
        var refused = await Fails("patch", "ingress", "web", "-n", ns, "--subresource=status", "--type=merge",
            "-p", """{"status":{"loadBalancer":{"ingress":[{"hostname":"10.0.0.1"}]}}}""");

        Check.StderrContains(refused, "status.loadBalancer.ingress[0].hostname: Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address");
        Check.Equal("web none * 10.0.0.9 80", string.Join(' ', Cells((await Ok("get", "ingress", "web", "-n", ns, "--no-headers")).StdoutLines[0])[..5]), "the row");
    }

    [Fact]
    public async Task An_ingress_for_an_ip_address_host_is_refused_with_kubes_message()
    {
        var ns = await CreateNamespaceAsync("ingress-invalid");

        var refused = await Fails("create", "ingress", "web", "-n", ns, "--rule=10.1.2.3/=web:80");

        Check.StderrContains(refused, "spec.rules[0].host: Invalid value: \"10.1.2.3\": must be a DNS name, not an IP address");
        await Fails("get", "ingress", "web", "-n", ns);
    }

    [Fact]
    public async Task An_ingress_class_controller_never_changes()
    {
        var name = "e2e-immutable-" + Guid.NewGuid().ToString("N")[..6];
        await CreateObjectAsync(null, new { apiVersion = "networking.k8s.io/v1", kind = "IngressClass", metadata = new { name }, spec = new { controller = "example.com/a" } });

        var refused = await Fails("patch", "ingressclass", name, "--type=merge", "-p", """{"spec":{"controller":"example.com/b"}}""");

        Check.StderrContains(refused, "spec.controller: Invalid value: \"example.com/b\": field is immutable");
        Check.StdoutContains(await Ok("get", "ingressclass", name), "example.com/a");
        await Ok("delete", "ingressclass", name);
    }
}
