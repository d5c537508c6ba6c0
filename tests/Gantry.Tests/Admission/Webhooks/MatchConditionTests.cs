using System.Text.Json.Nodes;
using Gantry.Server.Api;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Registry.RegistryTestContext;

namespace Gantry.Tests.Admission.Webhooks;

/// <summary>A webhook's CEL <c>matchConditions</c>, evaluated as kube's webhook matcher evaluates them before calling it.</summary>
public sealed class MatchConditionTests : IAsyncLifetime
{
    private WebhookTestSetup _setup = null!;

    public async Task InitializeAsync() => _setup = await WebhookTestSetup.StartAsync();

    public async Task DisposeAsync() => await _setup.DisposeAsync();

    [Fact]
    public async Task A_webhook_whose_conditions_hold_is_called()
    {
        await ValidateWithAsync(Condition("named-called", "object.metadata.name == 'called'"), Condition("creates", "request.operation == 'CREATE'"));

        await _setup.CreateAsync(ConfigMap("called"));

        Assert.Single(_setup.Server.Requests);
    }

    [Fact]
    public async Task A_false_condition_leaves_the_webhook_uncalled_even_beside_one_in_error()
    {
        await ValidateWithAsync(Condition("broken", "object.missing == 1"), Condition("never", "false"));

        await _setup.CreateAsync(ConfigMap("skipped"));

        Assert.Empty(_setup.Server.Requests);
        Assert.NotNull(_setup.Context.Get(ConfigMaps, "skipped"));
    }

    [Fact]
    public async Task A_condition_that_fails_to_evaluate_forbids_the_write_under_failure_policy_fail()
    {
        await ValidateWithAsync(Condition("broken", "object.missing == 1"));

        var error = await Assert.ThrowsAsync<ApiException>(() => _setup.CreateAsync(ConfigMap("failed")));

        Assert.Equal((403, "Forbidden"), (error.Code, error.Reason));
        Assert.Equal("configmaps \"failed\" is forbidden: expression 'object.missing == 1' resulted in error: no such key: missing", error.Message);
        Assert.Empty(_setup.Server.Requests);
    }

    [Fact]
    public async Task A_condition_that_fails_to_evaluate_skips_the_webhook_under_failure_policy_ignore()
    {
        await _setup.ValidateWithAsync("conditions", "/conditions", hook =>
        {
            hook.FailurePolicy = "Ignore";
            hook.MatchConditions = [Condition("broken", "object.missing == 1")];
        });

        await _setup.CreateAsync(ConfigMap("ignored"));

        Assert.Empty(_setup.Server.Requests);
        Assert.NotNull(_setup.Context.Get(ConfigMaps, "ignored"));
    }

    [Fact]
    public async Task A_condition_sees_the_old_object_of_an_update()
    {
        await _setup.CreateAsync(ConfigMap("updated"));
        await ValidateWithAsync(Condition("data-changed", "oldObject != null && object.data != oldObject.data"));

        await _setup.Registry.MutateAsync(ConfigMaps, "default", "updated", obj =>
        {
            obj["data"] = new JsonObject { ["k"] = "changed" };
            return obj;
        }, null, null, new Gantry.Server.Registry.WriteOptions(), _setup.Context.Ct);
        await _setup.Registry.MutateAsync(ConfigMaps, "default", "updated", obj =>
        {
            obj["metadata"]!["labels"] = new JsonObject { ["only"] = "labels" };
            return obj;
        }, null, null, new Gantry.Server.Registry.WriteOptions(), _setup.Context.Ct);

        Assert.Single(_setup.Server.Requests);
    }

    private Task<JsonObject> ValidateWithAsync(params V1MatchCondition[] conditions) =>
        _setup.ValidateWithAsync("conditions", "/conditions", hook => hook.MatchConditions = conditions);

    private static V1MatchCondition Condition(string name, string expression) => new() { Name = name, Expression = expression };

    private static JsonObject ConfigMap(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["data"] = new JsonObject { ["k"] = "v" },
    };
}
