using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// The apiserver's proxy subresources with the real kubectl: <c>pods/proxy</c> and <c>services/proxy</c> reach an HTTP
/// server in a pod, as <c>kubectl get --raw</c> and the links <c>kubectl cluster-info</c> prints use them.
/// </summary>
[Collection(GantryCollection.Name)]
public sealed class ProxyTests(GantryFixture fixture, ITestOutputHelper output) : PodTest(fixture, output)
{
    private const string Server =
        "mkdir -p /www/sub && echo root > /www/index.html && echo hello-from-httpd > /www/sub/index.html && exec httpd -f -p 8080 -h /www";

    [Fact]
    public async Task Pods_proxy_reaches_the_named_port_of_the_pod_with_the_path_after_proxy()
    {
        var ns = await CreateNamespaceAsync("proxy-pod");
        await RunPodAsync(ns, "web", null, Server);
        await WaitForHttpAsync(ns, "web", 8080);

        var answer = await Ok("get", "--raw", $"/api/v1/namespaces/{ns}/pods/web:8080/proxy/sub/index.html");

        Assert.Equal("hello-from-httpd", answer.Stdout.Trim());
    }

    [Fact]
    public async Task Services_proxy_reaches_a_ready_endpoint_through_the_service_port()
    {
        var ns = await CreateNamespaceAsync("proxy-svc");
        await RunPodAsync(ns, "web", null, Server);
        await WaitForHttpAsync(ns, "web", 8080);
        await Ok("label", "pod", "web", "-n", ns, "app=web");
        await Ok("create", "service", "clusterip", "web", "-n", ns, "--tcp=80:8080");

        var answer = await Eventually.Until(() => Run("get", "--raw", $"/api/v1/namespaces/{ns}/services/web:80/proxy/sub/index.html"),
            r => r.Succeeded, Patience, "the service's endpoint to be published");

        Assert.Equal("hello-from-httpd", answer.Stdout.Trim());
    }

    [Fact]
    public async Task A_port_nothing_listens_on_is_a_ServiceUnavailable_in_kubes_words()
    {
        var ns = await CreateNamespaceAsync("proxy-refused");
        await RunPodAsync(ns, "web", null, Server);

        var refused = await Fails("get", "--raw", $"/api/v1/namespaces/{ns}/pods/web:9/proxy/");

        Check.StderrContains(refused, "Error from server (ServiceUnavailable): error trying to reach service: dial tcp");
        Check.StderrContains(refused, ":9: connect: connection refused");
    }
}
