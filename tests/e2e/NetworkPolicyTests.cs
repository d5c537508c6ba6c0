using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// NetworkPolicies (networking.k8s.io/v1) enforced between real pods, from inside them with busybox's wget: a policy
/// that selects a pod isolates it, and only what its rules allow gets through (by pod label, by namespace, by port),
/// for ingress and for egress, to a pod's address and through a Service's ClusterIP, the cluster DNS always answering;
/// deleting the policy opens the pod again. The server is an httpd on 8080; the clients sleep. A refused connection times out (the firewall drops).
/// </summary>
[Collection(GantryCollection.Name)]
[Trait(Matrix.Trait, Matrix.DefaultKubectlOnly)]
public sealed class NetworkPolicyTests(GantryFixture fixture, ITestOutputHelper output) : PodTest(fixture, output)
{
    private const string Page = "hello-from-web";

    [Fact]
    public async Task A_deny_all_ingress_policy_isolates_its_pods_and_an_allow_rule_lets_its_peers_in()
    {
        var ns = await CreateNamespaceAsync("netpol-in");
        var (web, _) = await StartAsync(ns);
        await RunClientAsync(ns, "allowed", "role=frontend");
        await RunClientAsync(ns, "other", "role=batch");
        await ReachesAsync(ns, "allowed", web);

        await CreateObjectAsync(ns, Policy("deny-all", podSelector: new { }, ingress: Array.Empty<object>()));
        await RefusedAsync(ns, "allowed", web);

        await CreateObjectAsync(ns, Policy("frontend", podSelector: new { matchLabels = new { app = "web" } }, ingress: new object[]
        {
            new { from = new object[] { new { podSelector = new { matchLabels = new { role = "frontend" } } } }, ports = new object[] { new { port = 8080 } } },
        }));
        await ReachesAsync(ns, "allowed", web);
        await RefusedAsync(ns, "other", web);

        await Ok("delete", "networkpolicy", "deny-all", "frontend", "-n", ns);
        await ReachesAsync(ns, "other", web);
        await CleanUpAsync(ns);
    }

    [Fact]
    public async Task An_ingress_rule_on_another_port_lets_nothing_in()
    {
        var ns = await CreateNamespaceAsync("netpol-port");
        var (web, _) = await StartAsync(ns);
        await RunClientAsync(ns, "client", "role=frontend");
        await ReachesAsync(ns, "client", web);

        await CreateObjectAsync(ns, Policy("other-port", podSelector: new { }, ingress: new object[] { new { ports = new object[] { new { port = 9090 } } } }));

        await RefusedAsync(ns, "client", web);
        await CleanUpAsync(ns);
    }

    [Fact]
    public async Task A_namespace_selector_lets_in_the_pods_of_the_namespaces_it_selects()
    {
        var ns = await CreateNamespaceAsync("netpol-ns");
        var peers = await CreateNamespaceAsync("netpol-peer");
        var (web, _) = await StartAsync(ns);
        await RunClientAsync(peers, "visitor", "role=visitor");
        await RunClientAsync(ns, "local", "role=visitor");
        await ReachesAsync(ns, "local", web);

        await CreateObjectAsync(ns, Policy("from-peers", podSelector: new { }, ingress: new object[]
        {
            new { from = new object[] { new { namespaceSelector = new { matchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = peers } } } } },
        }));

        await ReachesAsync(peers, "visitor", web);
        await RefusedAsync(ns, "local", web);
        await CleanUpAsync(ns);
        await CleanUpAsync(peers);
    }

    [Fact]
    public async Task An_egress_policy_lets_a_pod_reach_only_what_it_allows_by_address_through_a_service_and_the_cluster_dns()
    {
        var ns = await CreateNamespaceAsync("netpol-out");
        var (web, clusterIp) = await StartAsync(ns);
        await Ok("run", "db", "--image=busybox", "--labels=app=db", "-n", ns, "--",
            "sh", "-c", $"mkdir -p /www && echo {Page} > /www/index.html && exec httpd -f -p 8080 -h /www");
        await WaitForPhaseAsync(ns, "db", "Running");
        var db = (await JsonPath(ns, "pod/db", "{.status.podIP}")).Trim();
        await RunClientAsync(ns, "client", "role=client");
        await ReachesAsync(ns, "client", db);

        await CreateObjectAsync(ns, Policy("client-out", podSelector: new { matchLabels = new { role = "client" } }, egress: new object[]
        {
            new { to = new object[] { new { podSelector = new { matchLabels = new { app = "web" } } } }, ports = new object[] { new { port = 8080 } } },
        }));

        await ReachesAsync(ns, "client", web);
        await ReachesAsync(ns, "client", clusterIp, port: 80);
        await RefusedAsync(ns, "client", db);
        await Eventually.Until(() => Run("exec", "client", "-n", ns, "--", "nslookup", $"web.{ns}.svc.cluster.local"),
            r => r.Stdout.Contains(clusterIp, StringComparison.Ordinal), Patience, "the cluster DNS to answer an egress-isolated pod");
        await CleanUpAsync(ns);
    }

    [Fact]
    public async Task Get_shows_a_policy_pod_selector()
    {
        var ns = await CreateNamespaceAsync("netpol-get");
        await CreateObjectAsync(ns, Policy("web-only", podSelector: new { matchLabels = new { app = "web" } }, ingress: Array.Empty<object>()));
        await CreateObjectAsync(ns, Policy("everything", podSelector: new { }, ingress: Array.Empty<object>()));

        var table = await Ok("get", "netpol", "-n", ns);

        Check.StdoutContains(table, "POD-SELECTOR");
        Check.StdoutContains(table, "app=web");
        Check.StdoutContains(table, "<none>");
        var types = await JsonPath(ns, "networkpolicy/web-only", "{.spec.policyTypes}");
        Check.Equal("[\"Ingress\"]", types.Trim(), "the defaulted policy types");
    }

    /// <summary>The web server pod and a ClusterIP Service in front of it (port 80 to 8080); their addresses.</summary>
    private async Task<(string Pod, string ClusterIp)> StartAsync(string ns)
    {
        await Ok("run", "web", "--image=busybox", "--labels=app=web", "-n", ns, "--",
            "sh", "-c", $"mkdir -p /www && echo {Page} > /www/index.html && exec httpd -f -p 8080 -h /www");
        await Ok("expose", "pod", "web", "--port=80", "--target-port=8080", "-n", ns);
        await WaitForPhaseAsync(ns, "web", "Running");
        return ((await JsonPath(ns, "pod/web", "{.status.podIP}")).Trim(), (await JsonPath(ns, "svc/web", "{.spec.clusterIP}")).Trim());
    }

    private async Task RunClientAsync(string ns, string name, string labels)
    {
        await Ok("run", name, "--image=busybox", $"--labels={labels}", "-n", ns, "--", "sleep", "100000");
        await WaitForPhaseAsync(ns, name, "Running");
    }

    private Task<CommandResult> ReachesAsync(string ns, string client, string address, int port = 8080) =>
        Eventually.Until(() => Fetch(ns, client, address, port), r => r.Stdout.Contains(Page, StringComparison.Ordinal), Patience,
            $"{client} to reach {address}:{port}");

    /// <summary>Waits until the client's request times out, then requires that it keeps failing.</summary>
    private async Task RefusedAsync(string ns, string client, string address, int port = 8080)
    {
        await Eventually.Until(() => Fetch(ns, client, address, port), r => !r.Stdout.Contains(Page, StringComparison.Ordinal), Patience,
            $"{client} to be refused by {address}:{port}");
        var again = await Fetch(ns, client, address, port);
        Check.Equal(false, again.Stdout.Contains(Page, StringComparison.Ordinal), $"{client} to stay refused by {address}:{port}");
    }

    private Task<CommandResult> Fetch(string ns, string client, string address, int port) =>
        Run("exec", client, "-n", ns, "--", "timeout", "2", "wget", "-qO-", $"http://{address}:{port}");

    private static object Policy(string name, object podSelector, object[]? ingress = null, object[]? egress = null)
    {
        var spec = new Dictionary<string, object> { ["podSelector"] = podSelector };
        if (ingress is not null)
        {
            spec["ingress"] = ingress;
        }

        if (egress is not null)
        {
            spec["egress"] = egress;
            spec["policyTypes"] = new[] { "Egress" };
        }

        return new { apiVersion = "networking.k8s.io/v1", kind = "NetworkPolicy", metadata = new { name }, spec };
    }

    // httpd runs as its namespace's init, which ignores SIGTERM: do not wait out the grace period.
    private Task<CommandResult> CleanUpAsync(string ns) => Ok("delete", "pods", "--all", "-n", ns, "--grace-period=1", "--timeout=60s");
}
