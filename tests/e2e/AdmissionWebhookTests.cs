using System.Text.Json;
using System.Text.RegularExpressions;
using Gantry.E2E.Harness;
using Gantry.E2E.Webhooks;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// Admission webhooks (admissionregistration.k8s.io/v1) through the real kubectl: validating webhooks that deny and warn,
/// mutating webhooks whose JSON patches land, the AdmissionReview the server sends, rules, object selectors, failure
/// policies, dry runs, and the configurations as kubectl lists them. The webhooks are served by a
/// <see cref="TestWebhookServer"/> in the test process. Configurations are cluster-wide: each selects only its test's
/// namespace and is deleted when the test ends (<see cref="WebhookScope"/>).
/// </summary>
[Collection(GantryCollection.Name)]
public sealed partial class AdmissionWebhookTests(GantryFixture fixture, ITestOutputHelper output) : PodTest(fixture, output)
{
    private const string Validating = "ValidatingWebhookConfiguration";
    private const string Mutating = "MutatingWebhookConfiguration";

    private static readonly string[] SleepCommand = ["sleep", "3600"];

    [Fact]
    public async Task A_validating_webhook_that_denies_a_create_fails_it_with_the_webhooks_message_and_stores_nothing()
    {
        await using var hooks = await StartAsync("deny");
        hooks.Server.Handle("deny.e2e.gantry.io", r => Json.Text(r, "name") == "forbidden"
            ? WebhookResponse.Deny("configmaps named forbidden are not allowed")
            : WebhookResponse.Allow());
        await ConfigureAsync(hooks, Configuration(Validating, hooks, "deny.e2e.gantry.io", ["CREATE"], ["configmaps"]));

        var denied = await Fails("create", "configmap", "forbidden", "-n", hooks.Namespace);
        await Ok("create", "configmap", "allowed", "-n", hooks.Namespace);

        Check.StderrContains(denied, "admission webhook \"deny.e2e.gantry.io\" denied the request: configmaps named forbidden are not allowed");
        Check.StderrContains(await Fails("get", "configmap", "forbidden", "-n", hooks.Namespace), "not found");
    }

    [Fact]
    public async Task A_mutating_webhook_changes_a_config_map_as_its_json_patch_says()
    {
        await using var hooks = await StartAsync("mutate");
        hooks.Server.Handle("inject.e2e.gantry.io", _ => WebhookResponse.Patch("""[{"op":"add","path":"/data/injected","value":"true"}]"""));
        await ConfigureAsync(hooks, Configuration(Mutating, hooks, "inject.e2e.gantry.io", ["CREATE"], ["configmaps"]));

        await Ok("create", "configmap", "patched", "-n", hooks.Namespace, "--from-literal=a=b");

        Check.Equal("b true", await JsonPath(hooks.Namespace, "configmap/patched", "{.data.a} {.data.injected}"), "data.a and data.injected");
    }

    [Fact]
    public async Task A_mutating_webhook_labels_a_pod_when_it_is_created()
    {
        await using var hooks = await StartAsync("mutate-pod");
        hooks.Server.Handle("inject-pod.e2e.gantry.io", _ => WebhookResponse.Patch("""[{"op":"add","path":"/metadata/labels/injected","value":"true"}]"""));
        await ConfigureAsync(hooks, Configuration(Mutating, hooks, "inject-pod.e2e.gantry.io", ["CREATE"], ["pods"]));

        await CreateObjectAsync(hooks.Namespace, new
        {
            apiVersion = "v1",
            kind = "Pod",
            metadata = new { name = "labelled", labels = new { app = "labelled" } },
            spec = new
            {
                terminationGracePeriodSeconds = 2,
                containers = new[] { new { name = "main", image = "busybox", command = SleepCommand } },
            },
        });

        Check.Equal("labelled true", await JsonPath(hooks.Namespace, "pod/labelled", "{.metadata.labels.app} {.metadata.labels.injected}"), "the pod's labels");
    }

    [Fact]
    public async Task A_mutating_webhook_sees_the_pods_a_deployment_creates_as_a_sidecar_injector_does()
    {
        await using var hooks = await StartAsync("mutate-deployment");
        hooks.Server.Handle("inject-deployment.e2e.gantry.io", _ => WebhookResponse.Patch("""[{"op":"add","path":"/metadata/labels/injected","value":"true"}]"""));
        await ConfigureAsync(hooks, Configuration(Mutating, hooks, "inject-deployment.e2e.gantry.io", ["CREATE"], ["pods"]));

        await Ok("create", "deployment", "injected", "-n", hooks.Namespace, "--image=busybox", "--replicas=2", "--", "sleep", "3600");

        var labelled = await Eventually.Until(
            () => Names(hooks.Namespace, "pods", "-l", "injected=true"), pods => pods.Count == 2, Patience, "two pods of the deployment labelled by the webhook");
        Check.Equal(2, labelled.Count, "pods labelled injected=true");
    }

    [Fact]
    public async Task A_validating_webhook_on_connect_refuses_kubectl_exec_and_sees_the_command()
    {
        await using var hooks = await StartAsync("connect");
        hooks.Server.Handle("no-exec.e2e.gantry.io", _ => WebhookResponse.Deny("exec is not allowed here"));
        await RunPodAsync(hooks.Namespace, "guarded", "process", "sleep 3600");
        await ConfigureAsync(hooks, Configuration(Validating, hooks, "no-exec.e2e.gantry.io", ["CONNECT"], ["pods/exec"]));

        var refused = await Fails("exec", "guarded", "-n", hooks.Namespace, "--", "echo", "hello");

        Check.StderrContains(refused, "admission webhook \"no-exec.e2e.gantry.io\" denied the request: exec is not allowed here");
        // kubectl 1.30 and later try a WebSocket first and SPDY after it: each attempt is a connection of its own.
        var request = hooks.Server.Requests("no-exec.e2e.gantry.io")[0];
        Check.Equal("CONNECT exec PodExecOptions", $"{Json.Text(request, "operation")} {Json.Text(request, "subResource")} {request.GetProperty("kind").GetProperty("kind").GetString()}",
            "the connection's operation, subresource and kind");
        Check.Equal("echo hello", string.Join(' ', request.GetProperty("object").GetProperty("command").EnumerateArray().Select(c => c.GetString())), "the command");
    }

    [Fact]
    public async Task The_webhook_receives_the_operation_kind_resource_user_and_objects_of_a_create_an_update_and_a_delete()
    {
        await using var hooks = await StartAsync("review");
        hooks.Server.Handle("review.e2e.gantry.io", _ => WebhookResponse.Allow());
        await ConfigureAsync(hooks, Configuration(Validating, hooks, "review.e2e.gantry.io", ["CREATE", "UPDATE", "DELETE"], ["configmaps"]));
        var admin = (await Ok(Stdin("""{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}"""),
            "create", "-f", "-", "-o", "jsonpath={.status.userInfo.username}")).Stdout;

        await Ok("create", "configmap", "x", "-n", hooks.Namespace, "--from-literal=a=b");
        await Ok("label", "configmap", "x", "-n", hooks.Namespace, "k=v");
        await Ok("delete", "configmap", "x", "-n", hooks.Namespace);

        var requests = RequestsFor(hooks, "review.e2e.gantry.io", "x");
        Assert.True(requests.Select(r => Json.Text(r, "operation")).SequenceEqual(["CREATE", "UPDATE", "DELETE"]),
            "Expected a CREATE, an UPDATE and a DELETE of x, in that order.\n" + hooks.Server.Describe());
        var (create, update, delete) = (requests[0], requests[1], requests[2]);
        Check.Equal("|v1|ConfigMap", $"{Json.Text(create, "kind.group")}|{Json.Text(create, "kind.version")}|{Json.Text(create, "kind.kind")}", "request.kind");
        Check.Equal("|v1|configmaps", $"{Json.Text(create, "resource.group")}|{Json.Text(create, "resource.version")}|{Json.Text(create, "resource.resource")}", "request.resource");
        Check.Equal(hooks.Namespace, Json.Text(create, "namespace"), "request.namespace");
        Check.Equal("b", Json.Text(create, "object.data.a"), "request.object.data.a");
        Check.Equal<string?>(null, Json.Text(create, "oldObject"), "request.oldObject of the create");
        Assert.False(string.IsNullOrEmpty(admin), "The SelfSubjectReview named no user.");
        Check.Equal(admin, Json.Text(create, "userInfo.username"), "request.userInfo.username");
        Check.Equal<string?>(null, Json.Text(update, "oldObject.metadata.labels.k"), "the label in request.oldObject of the update");
        Check.Equal("v", Json.Text(update, "object.metadata.labels.k"), "the label in request.object of the update");
        Check.Equal("b", Json.Text(delete, "oldObject.data.a"), "request.oldObject.data.a of the delete");
    }

    [Fact]
    public async Task A_webhook_is_not_called_for_the_operations_and_resources_its_rules_leave_out()
    {
        await using var hooks = await StartAsync("rules");
        hooks.Server.Handle("rules.e2e.gantry.io", _ => WebhookResponse.Allow());
        await ConfigureAsync(hooks, Configuration(Validating, hooks, "rules.e2e.gantry.io", ["CREATE"], ["configmaps"]));

        await Ok("create", "configmap", "sent", "-n", hooks.Namespace, "--from-literal=a=b");
        await Ok("create", "secret", "generic", "unsent", "-n", hooks.Namespace, "--from-literal=a=b");
        await Ok("label", "configmap", "sent", "-n", hooks.Namespace, "k=v");

        var requests = RequestsFor(hooks, "rules.e2e.gantry.io", "sent", "unsent");
        Check.Equal("CREATE ConfigMap sent", string.Join(", ", requests.Select(r => $"{Json.Text(r, "operation")} {Json.Text(r, "kind.kind")} {Json.Text(r, "name")}")),
            "the requests the webhook received");
    }

    [Fact]
    public async Task An_object_selector_sends_only_the_objects_whose_labels_match()
    {
        await using var hooks = await StartAsync("object-selector");
        hooks.Server.Handle("selected.e2e.gantry.io", _ => WebhookResponse.Deny("no objects labelled check=yes"));
        await ConfigureAsync(hooks, Configuration(Validating, hooks, "selected.e2e.gantry.io", ["CREATE"], ["configmaps"],
            objectSelector: new { matchLabels = new { check = "yes" } }));

        var denied = await Fails(Stdin(ConfigMap("checked", new { check = "yes" })), "create", "-f", "-", "-n", hooks.Namespace);
        await Ok(Stdin(ConfigMap("unchecked", labels: null)), "create", "-f", "-", "-n", hooks.Namespace);

        Check.StderrContains(denied, "admission webhook \"selected.e2e.gantry.io\" denied the request: no objects labelled check=yes");
        Assert.Equal(["checked"], RequestsFor(hooks, "selected.e2e.gantry.io", "checked", "unchecked").Select(r => Json.Text(r, "name")));
    }

    [Fact]
    public async Task An_unreachable_webhook_is_skipped_under_failure_policy_Ignore_and_fails_the_request_under_Fail()
    {
        await using var hooks = await StartAsync("failure-policy");
        var nobody = $"https://127.0.0.1:{GantryFixture.FreeTcpPort()}/";
        await ConfigureAsync(hooks, Configuration(Validating, hooks, "ignore.e2e.gantry.io", ["CREATE"], ["configmaps"], failurePolicy: "Ignore", url: nobody));

        await Ok("create", "configmap", "ignored", "-n", hooks.Namespace);
        await ConfigureAsync(hooks, Configuration(Validating, hooks, "fail.e2e.gantry.io", ["CREATE"], ["configmaps"], failurePolicy: "Fail", url: nobody));
        var failed = await Fails("create", "configmap", "failed", "-n", hooks.Namespace);

        Check.StderrContains(failed, "failed calling webhook \"fail.e2e.gantry.io\"");
        await Ok("get", "configmap", "ignored", "-n", hooks.Namespace);
        Check.StderrContains(await Fails("get", "configmap", "failed", "-n", hooks.Namespace), "not found");
    }

    [Fact]
    public async Task A_write_to_the_status_subresource_is_sent_with_subResource_status()
    {
        await using var hooks = await StartAsync("status");
        hooks.Server.Handle("status.e2e.gantry.io", _ => WebhookResponse.Allow());
        await ConfigureAsync(hooks, Configuration(Validating, hooks, "status.e2e.gantry.io", ["CREATE", "UPDATE"], ["services/status"]));
        await Ok("create", "-f", Manifest("service-lb.yaml"), "-n", hooks.Namespace);

        await Ok("patch", "service", "lb", "-n", hooks.Namespace, "--subresource=status", "--type", "merge",
            "-p", """{"status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.10"}]}}}""");

        var requests = RequestsFor(hooks, "status.e2e.gantry.io", "lb");
        Assert.True(requests.Count > 0 && requests.All(r => Json.Text(r, "subResource") == "status" && Json.Text(r, "resource.resource") == "services"),
            "Expected only writes to services/status (the create of the service is not one).\n" + hooks.Server.Describe());
        Assert.True(requests.Any(r => Json.Text(r, "operation") == "UPDATE" && Json.Text(r, "object.status.loadBalancer.ingress[0].ip") == "192.0.2.10"),
            "Expected the UPDATE of the patch, with the new status.\n" + hooks.Server.Describe());
    }

    [Fact]
    public async Task Kubectl_prints_the_warnings_an_allowing_webhook_returns()
    {
        await using var hooks = await StartAsync("warnings");
        hooks.Server.Handle("warn.e2e.gantry.io", _ => WebhookResponse.Warn("configmap x is deprecated"));
        await ConfigureAsync(hooks, Configuration(Validating, hooks, "warn.e2e.gantry.io", ["CREATE"], ["configmaps"]));

        var created = await Ok("create", "configmap", "x", "-n", hooks.Namespace);

        Check.StderrContains(created, "Warning: configmap x is deprecated");
        Check.StdoutContains(created, "configmap/x created");
    }

    [Fact]
    public async Task A_server_side_dry_run_is_sent_with_dryRun_true_and_stores_nothing()
    {
        await using var hooks = await StartAsync("dry-run");
        hooks.Server.Handle("dry-run.e2e.gantry.io", _ => WebhookResponse.Allow());
        await ConfigureAsync(hooks, Configuration(Validating, hooks, "dry-run.e2e.gantry.io", ["CREATE"], ["configmaps"]));

        await Ok("create", "configmap", "y", "-n", hooks.Namespace, "--dry-run=server");

        var requests = RequestsFor(hooks, "dry-run.e2e.gantry.io", "y");
        Assert.True(requests.Count == 1 && Json.Text(requests[0], "dryRun") == "true", "Expected one request for y with dryRun: true.\n" + hooks.Server.Describe());
        Check.StderrContains(await Fails("get", "configmap", "y", "-n", hooks.Namespace), "not found");
    }

    [Fact]
    public async Task Get_shows_a_configurations_webhook_count_and_api_resources_lists_both_kinds_as_cluster_scoped()
    {
        await using var hooks = await StartAsync("listed");
        await ConfigureAsync(hooks, Configuration(Validating, hooks, "listed.e2e.gantry.io", ["CREATE"], ["configmaps"]));

        var table = (await Ok("get", "validatingwebhookconfigurations", "listed.e2e.gantry.io")).StdoutLines;
        var resources = (await Ok("api-resources", "--api-group=admissionregistration.k8s.io")).StdoutLines.Select(l => string.Join(' ', Cells(l))).ToList();

        Check.Equal("NAME|WEBHOOKS|AGE", Row(table[0]), "the header of get validatingwebhookconfigurations");
        Check.Equal("listed.e2e.gantry.io|1", string.Join('|', Row(table[1]).Split('|')[..2]), "the configuration's row");
        Assert.Contains("mutatingwebhookconfigurations admissionregistration.k8s.io/v1 false MutatingWebhookConfiguration", resources);
        Assert.Contains("validatingwebhookconfigurations admissionregistration.k8s.io/v1 false ValidatingWebhookConfiguration", resources);
    }

    [Fact]
    public async Task A_webhook_name_that_is_not_fully_qualified_is_refused()
    {
        await using var hooks = await StartAsync("invalid");

        var refused = Check.Failed(await hooks.ApplyAsync(Configuration(Validating, hooks, "deny", ["CREATE"], ["configmaps"])));

        Check.StderrContains(refused, "webhooks[0].name");
        Check.StderrContains(refused, "should be a domain with at least three segments separated by dots");
        Check.StderrContains(await Fails("get", "validatingwebhookconfiguration", "deny"), "not found");
    }

    /// <summary>Creates the namespace <c>e2e-webhook-TAG</c> and starts the test's webhook server.</summary>
    private async Task<WebhookScope> StartAsync(string tag)
    {
        var ns = await CreateNamespaceAsync("webhook-" + tag);
        return new WebhookScope(ns, await TestWebhookServer.StartAsync(), Kubectl);
    }

    /// <summary>Applies <paramref name="configuration"/>; requires exit 0.</summary>
    private static async Task ConfigureAsync(WebhookScope hooks, object configuration) => Check.Succeeded(await hooks.ApplyAsync(configuration));

    /// <summary>
    /// A configuration of <paramref name="kind"/>, named after its one webhook <paramref name="webhook"/>, which the test's
    /// server serves at <see cref="TestWebhookServer.Url"/> (or which calls <paramref name="url"/>), for the core v1
    /// <paramref name="resources"/> and <paramref name="operations"/> in the test's namespace only.
    /// </summary>
    private static object Configuration(string kind, WebhookScope hooks, string webhook, string[] operations, string[] resources,
        string failurePolicy = "Fail", object? objectSelector = null, string? url = null) => new
    {
        apiVersion = "admissionregistration.k8s.io/v1",
        kind,
        metadata = new { name = webhook },
        webhooks = new[]
        {
            new
            {
                name = webhook,
                clientConfig = new { url = url ?? hooks.Server.Url(webhook), caBundle = hooks.Server.CaBundle },
                rules = new[] { new { operations, apiGroups = new[] { "" }, apiVersions = new[] { "v1" }, resources } },
                namespaceSelector = new { matchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = hooks.Namespace } },
                objectSelector,
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

    private static string ConfigMap(string name, object? labels) =>
        JsonSerializer.Serialize(new { apiVersion = "v1", kind = "ConfigMap", metadata = new { name, labels = labels ?? new { } }, data = new { a = "b" } });

    private static KubectlOptions Stdin(string manifest) => new() { Stdin = manifest };

    private async Task<CommandResult> Fails(KubectlOptions options, params string[] args) => Check.Failed(await Kubectl.RunAsync(args, options));

    /// <summary>A table line's cells joined by '|' (cells are separated by two spaces or more, as kubectl pads them).</summary>
    private static string Row(string line) => string.Join('|', TableGap().Split(line.Trim()));

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex TableGap();
}
