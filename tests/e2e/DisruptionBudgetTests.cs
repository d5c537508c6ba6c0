using System.Text.RegularExpressions;
using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// PodDisruptionBudgets through the real kubectl: <c>kubectl create pdb</c>, the disruption controller's counts in
/// <c>kubectl get pdb</c>, and the eviction subresource refusing what the budget does not allow until it is relaxed.
/// Evictions are sent raw, not by draining, so the shared node stays schedulable for the other tests.
/// </summary>
[Collection(GantryCollection.Name)]
public sealed class DisruptionBudgetTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private static readonly string[] SleepCommand = ["sh", "-c", "sleep 3600"];

    [Fact]
    public async Task An_eviction_is_refused_while_the_budget_allows_no_disruption_and_goes_through_once_relaxed()
    {
        var ns = await CreateNamespaceAsync("pdb");
        await CreateObjectAsync(ns, new
        {
            apiVersion = "apps/v1",
            kind = "Deployment",
            metadata = new { name = "web" },
            spec = new
            {
                replicas = 2,
                selector = new { matchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                template = new
                {
                    metadata = new { labels = new Dictionary<string, string> { ["app"] = "web" } },
                    spec = new
                    {
                        terminationGracePeriodSeconds = 1,
                        containers = new[] { new { name = "main", image = "busybox", command = SleepCommand } },
                    },
                },
            },
        });
        await Eventually.Until(() => JsonPath(ns, "deployment/web", "{.status.readyReplicas}"), ready => ready == "2", Patience, "2 ready replicas");

        await Ok("create", "pdb", "web", "-n", ns, "--selector=app=web", "--min-available=2");
        await UntilBudget(ns, generation: 1, healthy: 2, allowed: 0);
        var table = (await Ok("get", "pdb", "-n", ns)).StdoutLines;
        Check.Equal("NAME|MIN AVAILABLE|MAX UNAVAILABLE|ALLOWED DISRUPTIONS|AGE", string.Join('|', Regex.Split(table[0].Trim(), @"\s{2,}")), "the header");
        Check.Equal("web 2 N/A 0", string.Join(' ', Cells(table[1])[..4]), "the budget's row");

        var pod = (await Names(ns, "pods", "-l", "app=web"))[0];
        var eviction = TempFile("eviction.json");
        await File.WriteAllTextAsync(eviction, $$$"""{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"{{{pod}}}","namespace":"{{{ns}}}"}}""");
        var refused = await Fails("create", "--raw", $"/api/v1/namespaces/{ns}/pods/{pod}/eviction", "-f", eviction);
        Check.StderrContains(refused, "Error from server (TooManyRequests): Cannot evict pod as it would violate the pod's disruption budget.");

        await Ok("patch", "pdb", "web", "-n", ns, "--type=merge", "-p", """{"spec":{"minAvailable":1}}""");
        await UntilBudget(ns, generation: 2, healthy: 2, allowed: 1);
        await Ok("create", "--raw", $"/api/v1/namespaces/{ns}/pods/{pod}/eviction", "-f", eviction);

        await Eventually.Until(() => Names(ns, "pods", "-l", "app=web"), pods => !pods.Contains(pod), Patience, $"{pod} evicted", pods => string.Join(", ", pods));
    }

    private Task<string> UntilBudget(string ns, int generation, int healthy, int allowed) =>
        Eventually.Until(
            () => JsonPath(ns, "pdb/web", "{.status.observedGeneration} {.status.currentHealthy} {.status.disruptionsAllowed}"),
            status => status == $"{generation} {healthy} {allowed}",
            Patience,
            $"the budget at generation {generation} with {healthy} healthy pods and {allowed} disruptions allowed");
}
