using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Registry;
using Gantry.Tests.Registry;
using k8s;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Registry.RegistryTestContext;

namespace Gantry.Tests.Api;

public sealed class EvictionSubresourceTests : IAsyncLifetime
{
    private static readonly ResourceType Budgets = ResourceCatalog.Get("policy", "poddisruptionbudgets");

    private RegistryTestContext _context = null!;
    private EvictionSubresource _eviction = null!;

    public async Task InitializeAsync()
    {
        _context = await StartAsync();
        _eviction = new EvictionSubresource(_context.Registry, _context.Time);
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public async Task A_budget_that_allows_no_disruption_refuses_with_429_naming_it()
    {
        await CreatePodAsync("a", "Running");
        await CreateBudgetAsync("web", allowed: 0, current: 2, desired: 2);

        var error = await Assert.ThrowsAsync<ApiException>(() => EvictAsync("a"));

        Assert.Equal((429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget."), (error.Code, error.Reason, error.Message));
        var cause = error.Details!["causes"]![0]!;
        Assert.Equal("DisruptionBudget", cause["reason"]!.GetValue<string>());
        Assert.Equal("The disruption budget web needs 2 healthy pods and has 2 currently", cause["message"]!.GetValue<string>());
        Assert.NotNull(_context.Get(Pods, "a"));
    }

    [Fact]
    public async Task An_allowed_eviction_spends_the_budget_records_the_pod_and_deletes_it()
    {
        await CreatePodAsync("a", "Running");
        await CreateBudgetAsync("web", allowed: 1, current: 3, desired: 2);

        var status = await EvictAsync("a");

        Assert.Equal("Success", status["status"]!.GetValue<string>());
        var budget = Budget("web");
        Assert.Equal(0, budget.Status.DisruptionsAllowed);
        Assert.Equal(Start.UtcDateTime, budget.Status.DisruptedPods["a"]);
        Assert.Equal("InsufficientPods", Assert.Single(budget.Status.Conditions).Reason);
        var pod = _context.Get(Pods, "a")!;
        Assert.NotNull(pod["metadata"]!["deletionTimestamp"]);
        Assert.Contains((JsonArray)pod["status"]!["conditions"]!, c => c!["type"]!.GetValue<string>() == "DisruptionTarget");
    }

    [Fact]
    public async Task A_dry_run_changes_neither_the_budget_nor_the_pod()
    {
        await CreatePodAsync("a", "Running");
        await CreateBudgetAsync("web", allowed: 1, current: 3, desired: 2);
        var before = (_context.Get(Budgets, "web")!.ToJsonString(), _context.Get(Pods, "a")!.ToJsonString());

        await _eviction.EvictAsync("default", "a", new DeleteRequest(DryRun: true), _context.Ct);

        Assert.Equal(before, (_context.Get(Budgets, "web")!.ToJsonString(), _context.Get(Pods, "a")!.ToJsonString()));
    }

    [Fact]
    public async Task A_pending_pod_is_deleted_whatever_its_budget()
    {
        await CreatePodAsync("a", "Pending");
        await CreateBudgetAsync("web", allowed: 0, current: 0, desired: 2);

        await EvictAsync("a");

        Assert.NotNull(_context.Get(Pods, "a")!["metadata"]!["deletionTimestamp"]);
        Assert.Null(Budget("web").Status.DisruptedPods);
    }

    [Fact]
    public async Task A_pod_with_two_budgets_is_refused_with_500()
    {
        await CreatePodAsync("a", "Running");
        await CreateBudgetAsync("one", allowed: 1, current: 3, desired: 2);
        await CreateBudgetAsync("two", allowed: 1, current: 3, desired: 2);

        var status = await EvictAsync("a");

        Assert.Equal(500, status["code"]!.GetValue<int>());
        Assert.Equal("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.", status["message"]!.GetValue<string>());
        Assert.NotNull(_context.Get(Pods, "a"));
    }

    [Fact]
    public async Task A_budget_whose_spec_its_controller_has_not_seen_refuses_for_now()
    {
        await CreatePodAsync("a", "Running");
        await CreateBudgetAsync("web", allowed: 1, current: 3, desired: 2);
        await _context.MutateAsync(Budgets, "web", pdb =>
        {
            pdb["spec"]!["minAvailable"] = 1;
            return pdb;
        });

        var error = await Assert.ThrowsAsync<ApiException>(() => EvictAsync("a"));

        Assert.Equal(429, error.Code);
        Assert.Equal(10, error.Details!["retryAfterSeconds"]!.GetValue<int>());
        Assert.Equal("The disruption budget web is still being processed by the server.", error.Details["causes"]![0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unready_pod_may_go_when_the_budget_is_met_without_spending_it()
    {
        await CreatePodAsync("a", "Running", ready: false);
        await CreateBudgetAsync("web", allowed: 0, current: 2, desired: 2);

        await EvictAsync("a");

        Assert.NotNull(_context.Get(Pods, "a")!["metadata"]!["deletionTimestamp"]);
        Assert.Null(Budget("web").Status.DisruptedPods);
    }

    [Fact]
    public async Task A_pod_that_does_not_exist_is_not_found()
    {
        var error = await Assert.ThrowsAsync<ApiException>(() => EvictAsync("missing"));

        Assert.Equal((404, "pods \"missing\" not found"), (error.Code, error.Message));
    }

    private Task<JsonObject> EvictAsync(string pod) => _eviction.EvictAsync("default", pod, DeleteRequest.Default, _context.Ct);

    private V1PodDisruptionBudget Budget(string name) => KubernetesJson.Deserialize<V1PodDisruptionBudget>(_context.Get(Budgets, name)!.ToJsonString());

    private async Task CreatePodAsync(string name, string phase, bool ready = true)
    {
        var pod = Pod(name, nodeName: "n1");
        pod["metadata"]!["labels"] = new JsonObject { ["app"] = "web" };
        await _context.CreateAsync(Pods, pod);
        var stored = _context.Get(Pods, name)!;
        stored["status"] = new JsonObject
        {
            ["phase"] = phase,
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" }),
        };
        await _context.UpdateAsync(Pods, stored, "status");
    }

    /// <summary>A budget on <c>app=web</c> whose status says what a synced disruption controller would have written.</summary>
    private async Task CreateBudgetAsync(string name, int allowed, int current, int desired)
    {
        await _context.CreateAsync(Budgets, new JsonObject
        {
            ["apiVersion"] = "policy/v1",
            ["kind"] = "PodDisruptionBudget",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject { ["minAvailable"] = desired, ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "web" } } },
        });
        var stored = _context.Get(Budgets, name)!;
        stored["status"] = new JsonObject
        {
            ["observedGeneration"] = 1,
            ["disruptionsAllowed"] = allowed,
            ["currentHealthy"] = current,
            ["desiredHealthy"] = desired,
            ["expectedPods"] = current,
        };
        await _context.UpdateAsync(Budgets, stored, "status");
    }
}
