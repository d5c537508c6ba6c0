using System.Text.RegularExpressions;
using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// ResourceQuotas and LimitRanges through the real kubectl: <c>kubectl create quota</c> and the controller's counts in
/// <c>kubectl get quota</c>, creates refused in kube's words once a quota is spent and allowed again once a deletion
/// gives back, and a Service update that would add a node port refused too; a LimitRange's defaults written into a pod
/// by <c>kubectl run</c>, and its maximum refusing another.
/// </summary>
[Collection(GantryCollection.Name)]
public sealed class QuotaTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    [Fact]
    public async Task A_quota_refuses_what_exceeds_it_and_a_deletion_gives_its_share_back()
    {
        var ns = await CreateNamespaceAsync("quota");
        await Ok("create", "quota", "compute", "-n", ns, "--hard=pods=2,requests.cpu=1,limits.memory=1Gi");
        await UntilQuota(ns, "compute", "pods: 0/2, requests.cpu: 0/1|limits.memory: 0/1Gi");

        var unasked = await Fails("run", "bare", "-n", ns, "--image=busybox", "--", "sleep", "3600");
        Check.StderrContains(unasked, "pods \"bare\" is forbidden: failed quota: compute: must specify limits.memory for: bare; requests.cpu for: bare");

        await Ok("run", "first", "-n", ns, "--image=busybox", $"--overrides={Sized("first", "600m")}", "--", "sleep", "3600");
        var over = await Fails("run", "second", "-n", ns, "--image=busybox", $"--overrides={Sized("second", "600m")}", "--", "sleep", "3600");
        Check.StderrContains(over,
            "pods \"second\" is forbidden: exceeded quota: compute, requested: requests.cpu=600m, used: requests.cpu=600m, limited: requests.cpu=1");
        await UntilQuota(ns, "compute", "pods: 1/2, requests.cpu: 600m/1|limits.memory: 512Mi/1Gi");

        await Ok("delete", "pod", "first", "-n", ns, "--grace-period=0", "--force");
        await UntilQuota(ns, "compute", "pods: 0/2, requests.cpu: 0/1|limits.memory: 0/1Gi");
        await Ok("run", "second", "-n", ns, "--image=busybox", $"--overrides={Sized("second", "600m")}", "--", "sleep", "3600");
    }

    [Fact]
    public async Task An_object_count_quota_refuses_one_object_too_many()
    {
        var ns = await CreateNamespaceAsync("quota-count");
        await Ok("create", "quota", "objects", "-n", ns, "--hard=count/deployments.apps=1,services.nodeports=0");
        await UntilQuota(ns, "objects", "count/deployments.apps: 0/1, services.nodeports: 0/0|");

        await Ok("create", "deployment", "one", "-n", ns, "--image=busybox", "--replicas=0");
        var second = await Fails("create", "deployment", "two", "-n", ns, "--image=busybox", "--replicas=0");
        Check.StderrContains(second,
            "deployments.apps \"two\" is forbidden: exceeded quota: objects, requested: count/deployments.apps=1, used: count/deployments.apps=1, limited: count/deployments.apps=1");
        var nodePort = await Fails("create", "service", "nodeport", "np", "-n", ns, "--tcp=80:80");
        Check.StderrContains(nodePort,
            "services \"np\" is forbidden: exceeded quota: objects, requested: services.nodeports=1, used: services.nodeports=0, limited: services.nodeports=0");
        await Ok("create", "service", "clusterip", "inside", "-n", ns, "--tcp=80:80");
        var exposed = await Fails("patch", "service", "inside", "-n", ns, "--type=merge", "-p", """{"spec":{"type":"NodePort"}}""");
        Check.StderrContains(exposed,
            "services \"inside\" is forbidden: exceeded quota: objects, requested: services.nodeports=1, used: services.nodeports=0, limited: services.nodeports=0");
    }

    [Fact]
    public async Task A_limit_range_gives_a_pod_its_defaults_and_refuses_one_over_its_maximum()
    {
        var ns = await CreateNamespaceAsync("limits");
        await CreateObjectAsync(ns, new
        {
            apiVersion = "v1",
            kind = "LimitRange",
            metadata = new { name = "bounds" },
            spec = new
            {
                limits = new[]
                {
                    new
                    {
                        type = "Container",
                        max = new Dictionary<string, string> { ["cpu"] = "1", ["memory"] = "1Gi" },
                        @default = new Dictionary<string, string> { ["memory"] = "256Mi" },
                        defaultRequest = new Dictionary<string, string> { ["cpu"] = "100m" },
                    },
                },
            },
        });
        var table = (await Ok("get", "limits", "-n", ns)).StdoutLines;
        Check.Equal("NAME|CREATED AT", string.Join('|', Regex.Split(table[0].Trim(), @"\s{2,}")), "the header");

        await Ok("run", "defaulted", "-n", ns, "--image=busybox", "--", "sleep", "3600");
        Check.Equal(
            "{\"cpu\":\"1\",\"memory\":\"256Mi\"} {\"cpu\":\"100m\",\"memory\":\"256Mi\"}",
            await JsonPath(ns, "pod/defaulted", "{.spec.containers[0].resources.limits} {.spec.containers[0].resources.requests}"),
            "the pod's limits and requests");
        Check.Equal(
            "LimitRanger plugin set: cpu, memory request for container defaulted; cpu, memory limit for container defaulted",
            await JsonPath(ns, "pod/defaulted", "{.metadata.annotations.kubernetes\\.io/limit-ranger}"),
            "the limit-ranger annotation");

        var refused = await Fails("run", "large", "-n", ns, "--image=busybox",
            """--overrides={"spec":{"containers":[{"name":"large","image":"busybox","args":["sleep","3600"],"resources":{"limits":{"cpu":"2"}}}]}}""");
        Check.StderrContains(refused, "pods \"large\" is forbidden: maximum cpu usage per Container is 1, but limit is 2");
    }

    /// <summary>A <c>kubectl run --overrides</c> that asks for <paramref name="cpu"/> and limits the memory to 512Mi.</summary>
    private static string Sized(string name, string cpu) =>
        $$$$"""{"spec":{"terminationGracePeriodSeconds":0,"containers":[{"name":"{{{{name}}}}","image":"busybox","args":["sleep","3600"],"resources":{"requests":{"cpu":"{{{{cpu}}}}"},"limits":{"memory":"512Mi"}}}]}}""";

    /// <summary>Waits for the quota's Request and Limit columns, as <c>kubectl get quota</c> prints them, to read <paramref name="columns"/> (request|limit).</summary>
    private Task<string> UntilQuota(string ns, string name, string columns) =>
        Eventually.Until(
            async () =>
            {
                var lines = (await Ok("get", "quota", name, "-n", ns)).StdoutLines;
                var cells = Regex.Split(lines[1].Trim(), @"\s{2,}");
                return cells.Length >= 3 ? $"{cells[2]}|{(cells.Length > 3 ? cells[3] : "")}" : string.Join('|', cells);
            },
            read => read == columns,
            Patience,
            $"quota {name} at {columns}");
}
