using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// Cluster DNS from inside a pod, with busybox's own resolver tools: a Service's name resolves to its cluster IP and
/// reaches its pod through the proxy by its short name (the search path), a headless Service resolves to its pod's IP,
/// the cluster IP's reverse name points back at the Service, and the pod's /etc/resolv.conf is the kubelet's ClusterFirst
/// file.
/// </summary>
[Collection(GantryCollection.Name)]
[Trait(Matrix.Trait, Matrix.DefaultKubectlOnly)]
public sealed class DnsTests(GantryFixture fixture, ITestOutputHelper output) : PodTest(fixture, output)
{
    [Fact]
    public async Task A_pod_resolves_services_and_reaches_them_by_name()
    {
        var ns = await CreateNamespaceAsync("dns");
        await Ok("run", "web", "--image=busybox", "--labels=app=web", "-n", ns, "--",
            "sh", "-c", "mkdir -p /www && echo hello-from-web > /www/index.html && exec httpd -f -p 8080 -h /www");
        await Ok("expose", "pod", "web", "--port=80", "--target-port=8080", "-n", ns);
        await Ok("expose", "pod", "web", "--name=web-headless", "--cluster-ip=None", "--port=80", "--target-port=8080", "-n", ns);
        await RunPodAsync(ns, "client", null, "exec sleep 100000", spec: new { terminationGracePeriodSeconds = 1 });
        await WaitForPhaseAsync(ns, "web", "Running");
        var clusterIp = (await JsonPath(ns, "svc/web", "{.spec.clusterIP}")).Trim();
        var podIp = (await JsonPath(ns, "pod/web", "{.status.podIP}")).Trim();

        var resolvConf = await Ok("exec", "client", "-n", ns, "--", "cat", "/etc/resolv.conf");
        Check.StdoutContains(resolvConf, "nameserver 10.96.0.10");
        Check.StdoutContains(resolvConf, $"search {ns}.svc.cluster.local svc.cluster.local cluster.local");
        Check.StdoutContains(resolvConf, "options ndots:5");

        var lookup = await Eventually.Until(() => Run("exec", "client", "-n", ns, "--", "nslookup", $"web.{ns}.svc.cluster.local"),
            r => r.Stdout.Contains(clusterIp, StringComparison.Ordinal), Patience, "the service's name to resolve to its cluster IP");
        Output.WriteLine(lookup.Stdout);

        var page = await Eventually.Until(() => Run("exec", "client", "-n", ns, "--", "timeout", "5", "wget", "-qO-", "http://web"),
            r => r.Stdout.Contains("hello-from-web", StringComparison.Ordinal), Patience, "http://web to reach the pod through the service");
        Output.WriteLine(page.Stdout);

        await Eventually.Until(() => Run("exec", "client", "-n", ns, "--", "nslookup", clusterIp),
            r => r.Stdout.Contains($"web.{ns}.svc.cluster.local", StringComparison.Ordinal), Patience, "the cluster IP's PTR record to name the service");

        await Eventually.Until(() => Run("exec", "client", "-n", ns, "--", "nslookup", $"web-headless.{ns}.svc.cluster.local"),
            r => r.Stdout.Contains(podIp, StringComparison.Ordinal) && !r.Stdout.Contains(clusterIp, StringComparison.Ordinal),
            Patience, "the headless service to resolve to the pod's IP");
        // httpd runs as its namespace's init, which ignores SIGTERM: do not wait out the grace period.
        await Ok("delete", "pod", "client", "web", "-n", ns, "--grace-period=1", "--timeout=60s");
    }
}
