using System.Text.Json;
using Gantry.E2E.Harness;
using Gantry.E2E.Webhooks;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// The CEL <c>matchConditions</c> of admission webhooks (admissionregistration.k8s.io/v1) through the real kubectl, as
/// kube's "Matching requests: matchConditions" describes them: the webhook is called only when every condition is true
/// (on <c>object</c>, <c>oldObject</c> and <c>request</c>); a condition that fails to evaluate fails the call, which
/// the webhook's failure policy then judges; a configuration whose condition does not compile is refused. Each test's
/// webhook denies everything it is sent, so a request that goes through is one the webhook was not called for. The
/// webhooks are served by a <see cref="TestWebhookServer"/> in the test process; each configuration selects only its
/// test's namespace and is deleted when the test ends (<see cref="WebhookScope"/>).
/// </summary>
[Collection(GantryCollection.Name)]
public sealed class MatchConditionTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    [Fact]
    public async Task The_webhook_is_called_only_for_the_objects_its_condition_selects()
    {
        await using var hooks = await StartAsync("match-name");
        const string webhook = "match-name.e2e.gantry.io";
        await ConfigureAsync(hooks, webhook, DenyingConfiguration(hooks, webhook, ["CREATE"], Condition("only-denied", "object.metadata.name.startsWith('deny-')")));

        var denied = await Fails("create", "configmap", "deny-a", "-n", hooks.Namespace);
        await Ok("create", "configmap", "keep-a", "-n", hooks.Namespace);

        Check.StderrContains(denied, $"admission webhook \"{webhook}\" denied the request: {webhook} denies everything it sees");
        Assert.Equal(["deny-a"], RequestsFor(hooks, webhook, "deny-a", "keep-a").Select(r => Json.Text(r, "name")));
    }

    [Fact]
    public async Task A_condition_on_the_request_operation_sends_only_the_deletes()
    {
        await using var hooks = await StartAsync("match-operation");
        const string webhook = "match-operation.e2e.gantry.io";
        await ConfigureAsync(hooks, webhook, DenyingConfiguration(hooks, webhook, ["CREATE", "DELETE"], Condition("deletes-only", "request.operation == 'DELETE'")));

        await Ok("create", "configmap", "kept", "-n", hooks.Namespace);
        var denied = await Fails("delete", "configmap", "kept", "-n", hooks.Namespace);

        Check.StderrContains(denied, $"admission webhook \"{webhook}\" denied the request");
        Assert.Equal(["DELETE"], RequestsFor(hooks, webhook, "kept").Select(r => Json.Text(r, "operation")));
        await Ok("get", "configmap", "kept", "-n", hooks.Namespace);
    }

    [Fact]
    public async Task A_condition_that_fails_to_evaluate_forbids_the_request_under_failure_policy_Fail_without_calling_the_webhook()
    {
        await using var hooks = await StartAsync("match-error-fail");
        const string webhook = "match-error-fail.e2e.gantry.io";
        await ConfigureAsync(hooks, webhook, DenyingConfiguration(hooks, webhook, ["CREATE"], Condition("has-missing", "object.data.missing == 'x'"), failurePolicy: "Fail"));

        var failed = await Fails("create", "configmap", "lacking", "-n", hooks.Namespace, "--from-literal=present=yes");

        Check.StderrContains(failed, "configmaps \"lacking\" is forbidden: expression 'object.data.missing == 'x'' resulted in error: no such key: missing");
        Assert.Empty(RequestsFor(hooks, webhook, "lacking"));
        Check.StderrContains(await Fails("get", "configmap", "lacking", "-n", hooks.Namespace), "not found");
    }

    [Fact]
    public async Task A_condition_that_fails_to_evaluate_lets_the_request_through_under_failure_policy_Ignore()
    {
        await using var hooks = await StartAsync("match-error-ignore");
        const string webhook = "match-error-ignore.e2e.gantry.io";
        await ConfigureAsync(hooks, webhook, DenyingConfiguration(hooks, webhook, ["CREATE"], Condition("has-missing", "object.data.missing == 'x'"), failurePolicy: "Ignore"));

        await Ok("create", "configmap", "lacking", "-n", hooks.Namespace, "--from-literal=present=yes");

        Assert.Empty(RequestsFor(hooks, webhook, "lacking"));
    }

    [Fact]
    public async Task A_configuration_whose_condition_does_not_compile_is_refused()
    {
        await using var hooks = await StartAsync("match-syntax");
        const string webhook = "match-syntax.e2e.gantry.io";

        var refused = Check.Failed(await hooks.ApplyAsync(DenyingConfiguration(hooks, webhook, ["CREATE"], Condition("broken", "object.metadata.name =="))));

        Check.StderrContains(refused, $"The ValidatingWebhookConfiguration \"{webhook}\" is invalid");
        Check.StderrContains(refused, "webhooks[0].matchConditions[0].expression: Invalid value: \"object.metadata.name ==\": compilation failed: ");
        Check.StderrContains(await Fails("get", "validatingwebhookconfiguration", webhook), "not found");
    }

    [Fact]
    public async Task A_configuration_whose_condition_names_the_authorizer_is_refused_as_forbidden()
    {
        await using var hooks = await StartAsync("match-authorizer");
        const string webhook = "match-authorizer.e2e.gantry.io";
        var condition = Condition("breakglass",
            "!authorizer.group('admissionregistration.k8s.io').resource('validatingwebhookconfigurations').name('match-authorizer.e2e.gantry.io').check('breakglass').allowed()");

        var refused = Check.Failed(await hooks.ApplyAsync(DenyingConfiguration(hooks, webhook, ["CREATE"], condition)));

        Check.StderrContains(refused, $"The ValidatingWebhookConfiguration \"{webhook}\" is invalid");
        Check.StderrContains(refused, "webhooks[0].matchConditions[0].expression: Forbidden: ");
        Check.StderrContains(await Fails("get", "validatingwebhookconfiguration", webhook), "not found");
    }

    /// <summary>Creates the namespace <c>e2e-TAG</c> and starts the test's webhook server.</summary>
    private async Task<WebhookScope> StartAsync(string tag)
    {
        var ns = await CreateNamespaceAsync(tag);
        return new WebhookScope(ns, await TestWebhookServer.StartAsync(), Kubectl);
    }

    /// <summary>
    /// Applies <paramref name="configuration"/>, requiring exit 0, and makes its webhook <paramref name="webhook"/> deny every request it is sent
    /// with the message <c>WEBHOOK denies everything it sees</c>.
    /// </summary>
    private static async Task ConfigureAsync(WebhookScope hooks, string webhook, object configuration)
    {
        hooks.Server.Handle(webhook, _ => WebhookResponse.Deny(webhook + " denies everything it sees"));
        Check.Succeeded(await hooks.ApplyAsync(configuration));
    }

    private static object Condition(string name, string expression) => new { name, expression };

    /// <summary>
    /// A ValidatingWebhookConfiguration named after its one webhook <paramref name="webhook"/>, served by the test's server,
    /// for config maps in the test's namespace, with the one match condition <paramref name="condition"/>.
    /// </summary>
    private static object DenyingConfiguration(WebhookScope hooks, string webhook, string[] operations, object condition, string failurePolicy = "Fail") =>
        new
        {
            apiVersion = "admissionregistration.k8s.io/v1",
            kind = "ValidatingWebhookConfiguration",
            metadata = new { name = webhook },
            webhooks = new[]
            {
                new
                {
                    name = webhook,
                    clientConfig = new { url = hooks.Server.Url(webhook), caBundle = hooks.Server.CaBundle },
                    rules = new[] { new { operations, apiGroups = new[] { "" }, apiVersions = new[] { "v1" }, resources = new[] { "configmaps" } } },
                    namespaceSelector = new { matchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = hooks.Namespace } },
                    matchConditions = new[] { condition },
                    failurePolicy,
                    sideEffects = "None",
                    admissionReviewVersions = new[] { "v1" },
                    timeoutSeconds = 5,
                },
            },
        };

    /// <summary>
    /// The requests <paramref name="webhook"/> received about the objects <paramref name="names"/> (controllers write
    /// objects of their own in every namespace, such as the config map kube-root-ca.crt).
    /// </summary>
    private static List<JsonElement> RequestsFor(WebhookScope hooks, string webhook, params string[] names) =>
        [.. hooks.Server.Requests(webhook).Where(r => names.Contains(Json.Text(r, "name")))];
}
