using Gantry.Agent.Proxy;
using k8s.Models;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.NetworkTests;

/// <summary>
/// Three namespaces of the test's own: "node" plays the host that runs the proxy (it forwards, and its table is the one
/// programmed), "client" and "server" are pods on veths to it (10.203.1.0/24 and 10.203.2.0/24). The server listens on
/// 8080 and is the endpoint of a service with ClusterIP 10.96.0.10:80 and NodePort 30080. Nothing leaves these namespaces:
/// the node's default route leads into a veth whose peer is down.
/// </summary>
public sealed class ServiceProxyTests : IAsyncLifetime
{
    private const string NodeIp = "10.203.1.1";
    private const string ClientIp = "10.203.1.2";
    private const string ServerIp = "10.203.2.2";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private static int s_next;

    private readonly string _node;
    private readonly string _client;
    private readonly string _server;
    private readonly ITestOutputHelper _output;
    private readonly ProxyOptions _options;
    private readonly NftablesApplier _applier;

    public ServiceProxyTests(ITestOutputHelper output)
    {
        _output = output;
        var suffix = $"{Environment.ProcessId}-{Interlocked.Increment(ref s_next)}";
        (_node, _client, _server) = ($"gantryt-pxnode-{suffix}", $"gantryt-pxclient-{suffix}", $"gantryt-pxserver-{suffix}");
        _options = new ProxyOptions { NodeName = "node-a", NetworkNamespace = _node };
        _applier = new NftablesApplier(_options);
    }

    /// <summary>xunit does not dispose a test whose initialization failed, so a half-made topology is removed here.</summary>
    public async Task InitializeAsync()
    {
        try
        {
            await CreateTopologyAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private async Task CreateTopologyAsync()
    {
        foreach (var ns in new[] { _node, _client, _server })
        {
            await Host.CheckAsync("ip", "netns", "add", ns);
            await Host.CheckAsync("ip", "-n", ns, "link", "set", "lo", "up");
        }

        foreach (var (pod, link, subnet) in new[] { (_client, "vc", "10.203.1"), (_server, "vs", "10.203.2") })
        {
            await Host.CheckAsync("ip", "-n", _node, "link", "add", link, "type", "veth", "peer", "name", "eth0", "netns", pod);
            await Host.CheckAsync("ip", "-n", _node, "address", "add", $"{subnet}.1/24", "dev", link);
            await Host.CheckAsync("ip", "-n", _node, "link", "set", link, "up");
            await Host.CheckAsync("ip", "-n", pod, "address", "add", $"{subnet}.2/24", "dev", "eth0");
            await Host.CheckAsync("ip", "-n", pod, "link", "set", "eth0", "up");
            await Host.CheckAsync("ip", "-n", pod, "route", "add", "default", "via", $"{subnet}.1");
        }

        // The default route leads into a veth whose peer stays down: whatever the proxy does not capture goes nowhere.
        await Host.CheckAsync("ip", "-n", _node, "link", "add", "nowhere", "type", "veth", "peer", "name", "nowhere-peer");
        await Host.CheckAsync("ip", "-n", _node, "link", "set", "nowhere", "up");
        await Host.CheckAsync("ip", "-n", _node, "route", "add", "default", "dev", "nowhere");
        await Host.CheckAsync("ip", "netns", "exec", _node, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
    }

    public async Task DisposeAsync()
    {
        if (File.Exists($"/run/netns/{_node}"))
        {
            await _applier.DeleteTableAsync(CancellationToken.None);
        }

        foreach (var ns in new[] { _node, _client, _server })
        {
            await Host.RunAsync("ip", "netns", "delete", ns);
        }
    }

    [Fact]
    public async Task A_pod_reaches_the_ready_endpoint_through_the_cluster_ip_and_is_refused_once_the_endpoint_is_not_ready()
    {
        await ApplyAsync(ready: true);
        using (var listener = Listen())
        {
            await Eventually(() => Send(_client, "10.96.0.10", 80, "hello-through-the-vip"));
            Assert.Equal("hello-through-the-vip\n", await listener.OutputAsync(Patience));
        }

        await ApplyAsync(ready: false);

        // The backend still listens, so a refusal can only come from the proxy's reject.
        using var untouched = Listen();
        await Eventually(ServerListens);
        var refused = await Send(_client, "10.96.0.10", 80, "nobody-home");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("Connection refused", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, (await ServerListens()).ExitCode);
    }

    [Fact]
    public async Task The_node_itself_reaches_the_endpoint_through_the_cluster_ip()
    {
        await ApplyAsync(ready: true);
        using var listener = Listen();

        await Eventually(() => Send(_node, "10.96.0.10", 80, "hello-from-the-node"));

        Assert.Equal("hello-from-the-node\n", await listener.OutputAsync(Patience));
    }

    [Fact]
    public async Task A_client_reaches_the_endpoint_through_the_node_port_on_the_nodes_address()
    {
        await ApplyAsync(ready: true);
        using var listener = Listen();

        await Eventually(() => Send(_client, NodeIp, 30080, "hello-through-the-node-port"));

        Assert.Equal("hello-through-the-node-port\n", await listener.OutputAsync(Patience));
    }

    [Fact]
    public async Task A_node_port_without_endpoints_is_refused()
    {
        await ApplyAsync(ready: false);

        var refused = await Send(_client, NodeIp, 30080, "nobody-home");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("Connection refused", refused.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "10.203.2.1")]
    [InlineData(true, ClientIp)]
    public async Task Node_port_traffic_is_masqueraded_under_policy_Cluster_and_keeps_the_clients_address_under_policy_Local(
        bool externalLocal, string peerSeenByServer)
    {
        await ApplyAsync(ready: true, externalLocal);
        using var listener = Listen();
        await Eventually(ServerListens);

        using var connection = Host.Start(
            "ip", "netns", "exec", _client, "timeout", "5", "bash", "-c", $"exec 3<>/dev/tcp/{NodeIp}/30080; sleep 2; echo bye >&3");
        var peer = await EventuallyOutput(() => Host.RunAsync("ip", "netns", "exec", _server, "ss", "-Htn", "state", "established", "sport", "=", ":8080"));

        _output.WriteLine(peer);
        // busybox nc listens on IPv6, so ss prints the peer as an IPv4-mapped address: [::ffff:10.203.1.2]:60198.
        var remote = peer.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1].Replace("[::ffff:", "", StringComparison.Ordinal);
        Assert.StartsWith($"{peerSeenByServer}]:", remote, StringComparison.Ordinal);
    }

    private async Task ApplyAsync(bool ready, bool externalLocal = false)
    {
        var service = new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
            Spec = new V1ServiceSpec
            {
                Type = "NodePort",
                ClusterIP = "10.96.0.10",
                ClusterIPs = ["10.96.0.10"],
                Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = "web", NodePort = 30080, Protocol = "TCP" }],
                ExternalTrafficPolicy = externalLocal ? "Local" : "Cluster",
            },
        };
        var slice = new V1EndpointSlice
        {
            Metadata = new V1ObjectMeta
            {
                Name = "web-x1y2z",
                NamespaceProperty = "default",
                Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = "web" },
            },
            AddressType = "IPv4",
            Ports = [new Discoveryv1EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" }],
            Endpoints = [new V1Endpoint { Addresses = [ServerIp], NodeName = "node-a", Conditions = new V1EndpointConditions { Ready = ready } }],
        };
        var rules = ProxyRules.Build([service], [slice], _options);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await _applier.ApplyAsync(rules, CancellationToken.None);
        _output.WriteLine($"applied {rules.Commands.Count} commands in {watch.ElapsedMilliseconds} ms");
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> ServerListens() =>
        Host.RunAsync("ip", "netns", "exec", _server, "bash", "-c", "ss -Hltn sport = :8080 | grep -q 8080");

    private BackgroundProcess Listen() => Host.Start("ip", "netns", "exec", _server, "busybox", "nc", "-l", "-p", "8080");

    private static Task<(int ExitCode, string Stdout, string Stderr)> Send(string ns, string ip, int port, string text) =>
        Host.RunAsync("ip", "netns", "exec", ns, "timeout", "3", "bash", "-c", $"echo {text} >/dev/tcp/{ip}/{port}");

    /// <summary>Retries until the attempt exits 0: a listener just started may not listen yet.</summary>
    private static async Task Eventually(Func<Task<(int ExitCode, string Stdout, string Stderr)>> attempt)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var (exitCode, _, stderr) = await attempt();
            if (exitCode == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"still failing after {Patience}: {stderr}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Retries until the attempt prints something.</summary>
    private static async Task<string> EventuallyOutput(Func<Task<(int ExitCode, string Stdout, string Stderr)>> attempt)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var (_, stdout, stderr) = await attempt();
            if (stdout.Length > 0)
            {
                return stdout;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"no answer after {Patience}: {stderr}");
            }

            await Task.Delay(50);
        }
    }
}
