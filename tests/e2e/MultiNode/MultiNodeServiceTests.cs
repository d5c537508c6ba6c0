using System.Diagnostics;
using System.Text.Json;
using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E.MultiNode;

/// <summary>
/// The multi-node acceptance test on a three-host <c>gantry dev cluster</c>: a Service over three httpd pods spread
/// over the hosts answers from every backend to a pod on another host, stops sending to a pod that turns unready
/// within 2 s, answers on every host's NodePort, and keeps answering when a host is cut off and its pod is replaced.
/// </summary>
[Collection(DevClusterCollection.Name)]
[Trait(Matrix.Trait, Matrix.DefaultKubectlOnly)]
public sealed class MultiNodeServiceTests(DevClusterFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Ns = "e2e-multinode";
    private const string CutHost = "gdev-h2";
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(90);
    private readonly Kubectl _kubectl = fixture.CreateKubectl(output.WriteLine);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        output.WriteLine("=== gantry dev cluster output ===");
        output.WriteLine(fixture.Output());
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_service_spreads_over_hosts_follows_readiness_and_survives_a_host_cut_off()
    {
        await Ok(new KubectlOptions { Stdin = Manifests() }, "apply", "-f", "-");
        await Ok(new KubectlOptions { Timeout = StartPatience + TimeSpan.FromSeconds(10) },
            "rollout", "status", "deployment/web", "-n", Ns, $"--timeout={(int)StartPatience.TotalSeconds}s");
        await Ok(new KubectlOptions { Timeout = StartPatience + TimeSpan.FromSeconds(10) },
            "wait", "--for=condition=Ready", "pod/client", "-n", Ns, $"--timeout={(int)StartPatience.TotalSeconds}s");
        var placed = await BackendsAsync();
        Assert.Equal(3, placed.Values.Distinct().Count());
        var clusterIp = (await Ok("get", "svc", "web", "-n", Ns, "-o", "jsonpath={.spec.clusterIP}")).Stdout.Trim();
        var nodePort = (await Ok("get", "svc", "web", "-n", Ns, "-o", "jsonpath={.spec.ports[0].nodePort}")).Stdout.Trim();

        // From the client on gdev-h0, two of the three backends are on other hosts; the name goes through the cluster DNS.
        await Eventually.Until(() => AnswersAsync($"web.{Ns}.svc.cluster.local", 24), a => placed.Keys.All(a.Contains), Patience,
            "every backend to answer through the service's DNS name", a => string.Join(", ", a));
        var podIps = (await Ok("get", "pods", "-l", "app=web", "-n", Ns, "-o", "jsonpath={.items[*].status.podIP}")).Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        await Eventually.Until(() => _kubectl.RunAsync(["exec", "client", "-n", Ns, "--", "nslookup", $"web-headless.{Ns}.svc.cluster.local"], new KubectlOptions()),
            r => r.ExitCode == 0 && podIps.All(ip => r.Stdout.Contains(ip, StringComparison.Ordinal)), Patience, "the headless service to resolve to every pod IP");

        var victim = placed.Single(p => p.Value == CutHost).Key;
        await Ok("exec", victim, "-n", Ns, "--", "rm", "/tmp/ready");
        var clock = Stopwatch.StartNew();
        TimeSpan? stopped = null;
        while (stopped is null && clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            // 18 requests over 3 backends all miss a pod still in rotation with odds (2/3)^18 < 0.1 %; with 6 (9 %) a
            // lucky batch passed for the pod's removal and the check after it failed.
            var batchStart = clock.Elapsed;
            if (!(await AnswersAsync(clusterIp, 18)).Contains(victim))
            {
                stopped = batchStart;
            }
        }

        output.WriteLine($"the unready pod stopped getting requests {stopped?.TotalMilliseconds:0} ms after its probe file went");
        Assert.True(stopped <= TimeSpan.FromSeconds(2), $"the unready pod still got requests {stopped?.TotalSeconds ?? 15:0.0} s later");
        Assert.DoesNotContain(victim, await AnswersAsync(clusterIp, 12));
        await Ok("exec", victim, "-n", Ns, "--", "touch", "/tmp/ready");
        await Eventually.Until(() => AnswersAsync(clusterIp, 12), a => a.Contains(victim), Patience, "the pod to get requests once ready again");

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        foreach (var host in new[] { "10.77.0.10", "10.77.0.11", "10.77.0.12" })
        {
            var body = await Eventually.Until(() => GetAsync(http, $"http://{host}:{nodePort}/"), b => placed.ContainsKey(b), Patience, $"the NodePort on {host} to answer");
            output.WriteLine($"NodePort {host}:{nodePort} answered from {body}");
        }

        await Gantry("dev", "cut", CutHost);
        try
        {
            var replaced = await Eventually.Until(BackendsAsync, b => b.Count == 3 && !b.ContainsKey(victim) && b.Values.All(n => n != CutHost), TimeSpan.FromSeconds(75),
                $"the pod on {CutHost} to be replaced on another host", b => string.Join(", ", b.Select(p => $"{p.Key}@{p.Value}")));
            var answers = await Eventually.Until(() => AnswersAsync(clusterIp, 24), a => a.Count == 24 && replaced.Keys.All(a.Contains), Patience,
                "every request answered, by the replacement too", a => string.Join(", ", a));
            Assert.DoesNotContain(victim, answers);
        }
        finally
        {
            await Gantry("dev", "heal", CutHost);
        }
    }

    private static TimeSpan Patience { get; } = TimeSpan.FromSeconds(20);

    /// <summary>The ready, not terminating web pods by name, with their nodes.</summary>
    private async Task<Dictionary<string, string>> BackendsAsync()
    {
        var json = (await Ok("get", "pods", "-l", "app=web", "-n", Ns, "-o", "json")).Stdout;
        using var doc = JsonDocument.Parse(json);
        var pods = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pod in doc.RootElement.GetProperty("items").EnumerateArray())
        {
            var ready = pod.TryGetProperty("status", out var status) && status.TryGetProperty("conditions", out var conditions)
                && conditions.EnumerateArray().Any(c => c.GetProperty("type").GetString() == "Ready" && c.GetProperty("status").GetString() == "True");
            if (ready && !pod.GetProperty("metadata").TryGetProperty("deletionTimestamp", out _))
            {
                pods[pod.GetProperty("metadata").GetProperty("name").GetString()!] = pod.GetProperty("spec").GetProperty("nodeName").GetString()!;
            }
        }

        return pods;
    }

    /// <summary>The hostnames (pod names) that answered <paramref name="count"/> requests from the client pod; a request that fails adds none.</summary>
    private async Task<List<string>> AnswersAsync(string service, int count)
    {
        // This busybox's wget crashes with -q or -T, so timeout bounds it and its progress output is dropped.
        var result = await _kubectl.RunAsync(
            ["exec", "client", "-n", Ns, "--", "sh", "-c", $"for i in $(seq {count}); do timeout 2 wget -O- http://{service}/ 2>/dev/null; done"],
            new KubectlOptions { Timeout = TimeSpan.FromSeconds(2 * count + 10) });
        return [.. result.StdoutLines.Select(l => l.Trim()).Where(l => l.Length > 0)];
    }

    private static async Task<string> GetAsync(HttpClient http, string url)
    {
        try
        {
            return (await http.GetStringAsync(new Uri(url))).Trim();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return ex.Message;
        }
    }

    private async Task<CommandResult> Ok(params string[] args) => await Ok(new KubectlOptions(), args);

    private async Task<CommandResult> Ok(KubectlOptions options, params string[] args)
    {
        var result = await _kubectl.RunAsync(args, options);
        Assert.True(result.Succeeded, result.Describe());
        return result;
    }

    private async Task Gantry(params string[] args)
    {
        var result = await ProcessRunner.RunAsync(fixture.GantryBinary, args, null, null, TimeSpan.FromSeconds(20));
        output.WriteLine(result.Describe());
        Assert.True(result.Succeeded, result.Describe());
    }

    private static string Manifests()
    {
        var tolerations = new object[]
        {
            new { key = "node.kubernetes.io/unreachable", @operator = "Exists", effect = "NoExecute", tolerationSeconds = 2 },
            new { key = "node.kubernetes.io/not-ready", @operator = "Exists", effect = "NoExecute", tolerationSeconds = 2 },
        };
        var labels = new { app = "web" };
        object[] items =
        [
            new { apiVersion = "v1", kind = "Namespace", metadata = new { name = Ns } },
            new
            {
                apiVersion = "apps/v1",
                kind = "Deployment",
                metadata = new { name = "web", @namespace = Ns },
                spec = new
                {
                    replicas = 3,
                    selector = new { matchLabels = labels },
                    template = new
                    {
                        metadata = new { labels },
                        spec = new
                        {
                            tolerations,
                            terminationGracePeriodSeconds = 2,
                            topologySpreadConstraints = new[]
                            {
                                new
                                {
                                    maxSkew = 1, topologyKey = "kubernetes.io/hostname", whenUnsatisfiable = "DoNotSchedule", nodeTaintsPolicy = "Honor",
                                    labelSelector = new { matchLabels = labels },
                                },
                            },
                            containers = new[]
                            {
                                new
                                {
                                    name = "httpd",
                                    image = "busybox",
                                    command = new[] { "sh", "-c", "mkdir -p /www && hostname > /www/index.html && touch /tmp/ready && exec httpd -f -p 8080 -h /www" },
                                    ports = new[] { new { containerPort = 8080 } },
                                    readinessProbe = new { exec = new { command = new[] { "cat", "/tmp/ready" } }, periodSeconds = 1, failureThreshold = 1 },
                                },
                            },
                        },
                    },
                },
            },
            new
            {
                apiVersion = "v1",
                kind = "Service",
                metadata = new { name = "web", @namespace = Ns },
                spec = new { type = "NodePort", selector = labels, ports = new[] { new { port = 80, targetPort = 8080 } } },
            },
            new
            {
                apiVersion = "v1",
                kind = "Service",
                metadata = new { name = "web-headless", @namespace = Ns },
                spec = new { clusterIP = "None", selector = labels, ports = new[] { new { port = 80, targetPort = 8080 } } },
            },
            new
            {
                apiVersion = "v1",
                kind = "Pod",
                metadata = new { name = "client", @namespace = Ns },
                spec = new
                {
                    nodeName = "gdev-h0",
                    terminationGracePeriodSeconds = 1,
                    containers = new[] { new { name = "client", image = "busybox", command = new[] { "sleep", "3600" } } },
                },
            },
        ];
        return JsonSerializer.Serialize(new { apiVersion = "v1", kind = "List", items });
    }
}
