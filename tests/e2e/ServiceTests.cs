using System.Net;
using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// Services through the real kubectl: cluster IPs from 10.96.0.0/12, node ports from 30000-32767, a
/// taken cluster IP refused in Kubernetes' words and free again once its Service is gone, and the
/// Endpoints and EndpointSlices of an exposed deployment listing its ready pods.
/// </summary>
[Collection(GantryCollection.Name)]
public sealed class ServiceTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(90);
    private static readonly IPNetwork ServiceRange = IPNetwork.Parse("10.96.0.0/12");

    [Fact]
    public async Task The_kubernetes_service_has_the_first_cluster_ip()
    {
        Check.Equal("10.96.0.1", (await JsonPath("default", "svc/kubernetes", "{.spec.clusterIP}")).Trim(), "the kubernetes service's cluster IP");
        Check.Equal("443", (await JsonPath("default", "svc/kubernetes", "{.spec.ports[0].port}")).Trim(), "the kubernetes service's port");
        Check.StdoutContains(await Ok("get", "endpoints", "kubernetes", "-n", "default"), "kubernetes");
    }

    [Fact]
    public async Task An_exposed_deployment_gets_a_cluster_ip_and_endpoints_of_its_ready_pods()
    {
        var ns = await CreateNamespaceAsync("svc-web");
        await Ok("create", "deployment", "web", "--image=busybox", "--replicas=2", "-n", ns, "--", "httpd", "-f", "-p", "8080");
        await Ok("expose", "deployment", "web", "--port=80", "--target-port=8080", "-n", ns);

        var clusterIp = (await JsonPath(ns, "svc/web", "{.spec.clusterIP}")).Trim();
        Assert.True(ServiceRange.Contains(IPAddress.Parse(clusterIp)), $"{clusterIp} is not in {ServiceRange}");
        Check.StdoutContains(await Ok("get", "svc", "web", "-n", ns), clusterIp);

        await Ok(new KubectlOptions { Timeout = StartPatience + TimeSpan.FromSeconds(10) },
            "rollout", "status", "deployment/web", "-n", ns, $"--timeout={(int)StartPatience.TotalSeconds}s");
        var podIps = (await JsonPath(ns, "pods", "{.items[*].status.podIP}")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, podIps.Length);

        var endpoints = await Eventually.Until(() => Run("get", "endpoints", "web", "-n", ns),
            r => podIps.All(ip => r.Stdout.Contains($"{ip}:8080", StringComparison.Ordinal)), Patience, "both pods in the endpoints");
        Assert.Contains("web", endpoints.Stdout, StringComparison.Ordinal);

        var slices = await Eventually.Until(() => Run("get", "endpointslices", "-l", "kubernetes.io/service-name=web", "-n", ns),
            r => podIps.All(ip => r.Stdout.Contains(ip, StringComparison.Ordinal)), Patience, "both pods in the endpoint slices");
        Check.StdoutContains(slices, "IPv4");
        Check.StdoutContains(slices, "8080");

        await Ok("delete", "deployment", "web", "-n", ns, "--timeout=60s");
        await Eventually.Until(() => Run("get", "endpoints", "web", "-n", ns, "-o", "jsonpath={.subsets}"),
            r => r.Succeeded && r.Stdout.Trim().Length == 0, StartPatience, "the endpoints emptied");
    }

    [Fact]
    public async Task Port_forward_to_a_service_reaches_a_pod_behind_it_on_the_target_port()
    {
        var ns = await CreateNamespaceAsync("svc-pf");
        await Ok("run", "web", "--image=busybox", "--labels=app=web", "-n", ns, "--",
            "sh", "-c", "mkdir -p /www && echo hello-from-web > /www/index.html && exec httpd -f -p 8080 -h /www");
        await Ok("expose", "pod", "web", "--port=80", "--target-port=8080", "-n", ns);
        await Ok(new KubectlOptions { Timeout = StartPatience + TimeSpan.FromSeconds(10) },
            "wait", "--for=condition=Ready", "pod/web", "-n", ns, $"--timeout={(int)StartPatience.TotalSeconds}s");
        await WaitForHttpAsync(ns, "web", 8080);
        var port = GantryFixture.FreeTcpPort();

        await using (var forward = Kubectl.Start(["port-forward", "svc/web", "-n", ns, $"{port}:80"]))
        {
            await forward.WaitForStdoutAsync(o => o.Contains($"Forwarding from 127.0.0.1:{port}", StringComparison.Ordinal), Patience, "port-forward to listen");
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
            Assert.Equal("hello-from-web\n", await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/index.html")));
        }

        // httpd runs as its namespace's init, which ignores SIGTERM: do not wait out the grace period.
        await Ok("delete", "pod", "web", "-n", ns, "--grace-period=1", "--timeout=60s");
    }

    [Fact]
    public async Task A_node_port_service_gets_a_port_in_range()
    {
        var ns = await CreateNamespaceAsync("svc-np");
        await Ok("create", "service", "nodeport", "np", "--tcp=80:8080", "-n", ns);

        var port = int.Parse((await JsonPath(ns, "svc/np", "{.spec.ports[0].nodePort}")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

        Assert.InRange(port, 30000, 32767);
    }

    [Fact]
    public async Task A_taken_cluster_ip_is_refused_and_free_again_once_its_service_is_deleted()
    {
        var ns = await CreateNamespaceAsync("svc-ip");
        await Ok("create", "service", "clusterip", "first", "--tcp=80", "--clusterip=10.96.0.77", "-n", ns);

        var refused = await Fails("create", "service", "clusterip", "second", "--tcp=80", "--clusterip=10.96.0.77", "-n", ns);
        Check.StderrContains(refused, "Service \"second\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.96.0.77\"}: failed to allocate IP 10.96.0.77: provided IP is already allocated");
        Check.StderrContains(await Fails("get", "svc", "second", "-n", ns), "NotFound");

        await Ok("delete", "svc", "first", "-n", ns);
        await Ok("create", "service", "clusterip", "second", "--tcp=80", "--clusterip=10.96.0.77", "-n", ns);
        Check.Equal("10.96.0.77", (await JsonPath(ns, "svc/second", "{.spec.clusterIP}")).Trim(), "the recreated service's cluster IP");
    }
}
