using System.Text;
using System.Text.Json.Nodes;
using Gantry.Server.Api;
using Gantry.Server.Registry;
using Gantry.Server.Security;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Registry.RegistryTestContext;

namespace Gantry.Tests.Admission.Webhooks;

/// <summary>Writes through the registry with webhooks configured, called over real HTTPS.</summary>
public sealed class WebhookAdmissionTests : IAsyncLifetime
{
    private WebhookTestSetup _setup = null!;

    public async Task InitializeAsync() => _setup = await WebhookTestSetup.StartAsync();

    public async Task DisposeAsync() => await _setup.DisposeAsync();

    private static readonly Core.Resources.ResourceType Services = Core.Resources.ResourceCatalog.Get("", "services");
    private static readonly Core.Resources.ResourceType Endpoints = Core.Resources.ResourceCatalog.Get("", "endpoints");
    private static readonly Core.Resources.ResourceType Autoscalers = Core.Resources.ResourceCatalog.Get("autoscaling", "horizontalpodautoscalers");

    private TestWebhookServer Server => _setup.Server;

    [Fact]
    public async Task A_refusal_fails_the_create_with_the_webhooks_status_and_stores_nothing()
    {
        await _setup.ValidateWithAsync("deny", "/deny");
        Server.Answer = request => TestWebhookServer.Review(new JsonObject
        {
            ["uid"] = request["uid"]!.GetValue<string>(),
            ["allowed"] = false,
            ["status"] = new JsonObject { ["code"] = 403, ["reason"] = "Forbidden", ["message"] = "no configmaps today" },
        });

        var error = await Assert.ThrowsAsync<ApiException>(() => _setup.CreateAsync(ConfigMap("refused")));

        Assert.Equal(403, error.Code);
        Assert.Equal("Forbidden", error.Reason);
        Assert.Equal("admission webhook \"deny.webhooks.gantry.io\" denied the request: no configmaps today", error.Message);
        Assert.Null(_setup.Context.Get(ConfigMaps, "refused"));
    }

    [Fact]
    public async Task A_mutating_webhooks_json_patch_is_stored()
    {
        await _setup.MutateWithAsync("inject", "/inject");
        Server.Answer = request => Patch(request, """[{"op":"add","path":"/data/injected","value":"yes"}]""");

        await _setup.CreateAsync(ConfigMap("patched"));

        Assert.Equal("yes", _setup.Context.Get(ConfigMaps, "patched")!["data"]!["injected"]!.GetValue<string>());
    }

    [Fact]
    public async Task Mutating_webhooks_are_called_in_configuration_name_order_each_seeing_the_patches_before_it()
    {
        await _setup.MutateWithAsync("b-second", "/second");
        await _setup.MutateWithAsync("a-first", "/first");
        Server.Answer = request => request["object"]!["data"]!["first"] is null
            ? Patch(request, """[{"op":"add","path":"/data/first","value":"1"}]""")
            : Patch(request, """[{"op":"add","path":"/data/second","value":"2"}]""");

        await _setup.CreateAsync(ConfigMap("ordered"));

        var data = _setup.Context.Get(ConfigMaps, "ordered")!["data"]!;
        Assert.Equal("1", data["first"]!.GetValue<string>());
        Assert.Equal("2", data["second"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_webhook_with_reinvocation_if_needed_is_called_again_after_a_later_webhook_changed_the_object()
    {
        await _setup.MutateWithAsync("a-counts", "/counts", hook => hook.ReinvocationPolicy = "IfNeeded");
        await _setup.MutateWithAsync("b-changes", "/changes");
        Server.AnswerAt["/changes"] = request => Patch(request, """[{"op":"add","path":"/data/changed","value":"yes"}]""");

        await _setup.CreateAsync(ConfigMap("again"));

        Assert.Equal(["/counts", "/changes", "/counts"], Server.Paths);
        Assert.Equal("yes", Server.Requests.Last()["object"]!["data"]!["changed"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_update_is_sent_with_the_object_written_and_the_one_it_replaces()
    {
        await _setup.CreateAsync(ConfigMap("updated"));
        await _setup.ValidateWithAsync("watch", "/watch");

        await _setup.Registry.MutateAsync(ConfigMaps, "default", "updated", obj =>
        {
            obj["data"]!["key"] = "changed";
            return obj;
        }, null, null, new WriteOptions(), _setup.Context.Ct);

        var request = Assert.Single(Server.Requests);
        Assert.Equal("UPDATE", request["operation"]!.GetValue<string>());
        Assert.Equal("changed", request["object"]!["data"]!["key"]!.GetValue<string>());
        Assert.Equal("value", request["oldObject"]!["data"]!["key"]!.GetValue<string>());
        Assert.Equal("UpdateOptions", request["options"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_deletion_is_sent_with_the_stored_object_as_the_old_one_and_no_object()
    {
        await _setup.CreateAsync(ConfigMap("deleted"));
        await _setup.ValidateWithAsync("watch", "/watch");

        await _setup.Registry.DeleteAsync(ConfigMaps, "default", "deleted", new DeleteRequest(PropagationPolicy: "Background"), _setup.Context.Ct);

        var request = Assert.Single(Server.Requests);
        Assert.Equal("DELETE", request["operation"]!.GetValue<string>());
        Assert.Null(request["object"]);
        Assert.Equal("deleted", request["oldObject"]!["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("Background", request["options"]!["propagationPolicy"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_refused_deletion_keeps_the_object()
    {
        await _setup.CreateAsync(ConfigMap("kept"));
        await _setup.ValidateWithAsync("deny", "/deny");
        Server.Answer = request => TestWebhookServer.Review(new JsonObject { ["uid"] = request["uid"]!.GetValue<string>(), ["allowed"] = false });

        var error = await Assert.ThrowsAsync<ApiException>(() => _setup.Registry.DeleteAsync(ConfigMaps, "default", "kept", DeleteRequest.Default, _setup.Context.Ct));

        Assert.Equal("admission webhook \"deny.webhooks.gantry.io\" denied the request without explanation", error.Message);
        Assert.NotNull(_setup.Context.Get(ConfigMaps, "kept"));
    }

    [Fact]
    public async Task A_create_is_sent_with_who_writes_the_kind_resource_namespace_and_options()
    {
        await _setup.ValidateWithAsync("watch", "/watch");
        var user = new RequestUser("jane", ["developers", RequestUser.Authenticated]);

        await _setup.CreateAsync(ConfigMap("described"), new WriteOptions(DryRun: true, FieldManager: "kubectl-create") { User = user });

        var request = Assert.Single(Server.Requests);
        Assert.Equal("""{"group":"","version":"v1","kind":"ConfigMap"}""", request["kind"]!.ToJsonString());
        Assert.Equal("""{"group":"","version":"v1","resource":"configmaps"}""", request["resource"]!.ToJsonString());
        Assert.Equal("default", request["namespace"]!.GetValue<string>());
        Assert.Equal("described", request["name"]!.GetValue<string>());
        Assert.Equal("""{"username":"jane","groups":["developers","system:authenticated"]}""", request["userInfo"]!.ToJsonString());
        Assert.True(request["dryRun"]!.GetValue<bool>());
        Assert.Equal("""{"kind":"CreateOptions","apiVersion":"meta.k8s.io/v1","dryRun":["All"],"fieldManager":"kubectl-create"}""", request["options"]!.ToJsonString());
        Assert.Null(request["oldObject"]);
    }

    [Fact]
    public async Task The_servers_own_writes_are_sent_as_the_controller_manager_outside_system_masters()
    {
        await _setup.ValidateWithAsync("watch", "/watch");

        await _setup.CreateAsync(ConfigMap("internal"));

        Assert.Equal("""{"username":"system:kube-controller-manager","groups":["system:authenticated"]}""", Assert.Single(Server.Requests)["userInfo"]!.ToJsonString());
    }

    [Fact]
    public async Task A_mutating_webhook_cannot_set_what_the_store_owns_in_a_new_object()
    {
        await _setup.MutateWithAsync("owns", "/owns");
        Server.Answer = request => Patch(request, """
            [{"op":"add","path":"/metadata/uid","value":"forged"},{"op":"add","path":"/metadata/resourceVersion","value":"7"},
             {"op":"add","path":"/metadata/deletionTimestamp","value":"2020-01-01T00:00:00Z"}]
            """);

        var created = await _setup.CreateAsync(ConfigMap("owned"));

        Assert.NotEqual("forged", ObjectMetadata.Uid(created));
        Assert.Null(created["metadata"]!["deletionTimestamp"]);
    }

    [Fact]
    public async Task A_mutating_webhook_sees_a_generate_name_create_without_a_name_and_the_object_is_named_after_it()
    {
        await _setup.MutateWithAsync("named", "/named");
        var input = new JsonObject { ["metadata"] = new JsonObject { ["generateName"] = "gen-" }, ["data"] = new JsonObject() };

        var created = await _setup.CreateAsync(input);

        var metadata = Assert.Single(Server.Requests)["object"]!["metadata"]!.AsObject();
        Assert.Equal("", Server.Requests.Single()["name"]!.GetValue<string>());
        Assert.Equal(["generateName", "namespace"], metadata.Select(m => m.Key));
        Assert.StartsWith("gen-", ObjectMetadata.Name(created), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_field_a_mutating_webhook_adds_that_the_type_does_not_know_is_dropped_even_under_strict_validation()
    {
        await _setup.CreateAsync(ConfigMap("strict"));
        await _setup.MutateWithAsync("unknown", "/unknown");
        Server.Answer = request => Patch(request, """[{"op":"add","path":"/bogus","value":"x"},{"op":"add","path":"/data/added","value":"y"}]""");

        var updated = await _setup.Registry.MutateAsync(ConfigMaps, "default", "strict", obj => obj, null, null, new WriteOptions(), _setup.Context.Ct);

        Assert.Null(updated["bogus"]);
        Assert.Equal("y", updated["data"]!["added"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_mutating_webhook_that_patches_a_deletion_fails_it()
    {
        await _setup.CreateAsync(ConfigMap("undeletable"));
        await _setup.MutateWithAsync("patches", "/patches");
        Server.Answer = request => Patch(request, "[]");

        var error = await Assert.ThrowsAsync<ApiException>(() => _setup.Registry.DeleteAsync(ConfigMaps, "default", "undeletable", DeleteRequest.Default, _setup.Context.Ct));

        Assert.Equal(
            "Internal error occurred: admission webhook \"patches.webhooks.gantry.io\" attempted to modify the object, which is not supported for this operation",
            error.Message);
        Assert.NotNull(_setup.Context.Get(ConfigMaps, "undeletable"));
    }

    [Fact]
    public async Task A_deletion_whose_precondition_fails_is_refused_before_the_webhooks_see_it()
    {
        await _setup.CreateAsync(ConfigMap("pinned"));
        await _setup.ValidateWithAsync("watch", "/watch");

        var error = await Assert.ThrowsAsync<ApiException>(() =>
            _setup.Registry.DeleteAsync(ConfigMaps, "default", "pinned", new DeleteRequest(PreconditionResourceVersion: "1"), _setup.Context.Ct));

        Assert.Equal(409, error.Code);
        Assert.Empty(Server.Requests);
    }

    [Fact]
    public async Task A_v1beta1_patch_without_a_patch_type_is_a_failed_call()
    {
        await _setup.MutateWithAsync("old", "/old", hook => hook.AdmissionReviewVersions = ["v1beta1"]);
        Server.Answer = _ => new JsonObject
        {
            ["apiVersion"] = "admission.k8s.io/v1beta1",
            ["kind"] = "AdmissionReview",
            ["response"] = new JsonObject { ["allowed"] = true, ["patch"] = Convert.ToBase64String("[]"u8) },
        };

        var error = await Assert.ThrowsAsync<ApiException>(() => _setup.CreateAsync(ConfigMap("untyped")));

        Assert.Equal("Internal error occurred: failed calling webhook \"old.webhooks.gantry.io\": unsupported patch type \"\"", error.Message);
    }

    [Fact]
    public async Task An_answer_that_is_not_a_review_is_a_failed_call_that_failure_policy_ignore_passes_over()
    {
        await _setup.ValidateWithAsync("garbled", "/garbled", hook => hook.FailurePolicy = "Ignore");
        Server.Answer = _ => new JsonObject { ["response"] = "yes" };

        await _setup.CreateAsync(ConfigMap("garbled"));

        Assert.NotNull(_setup.Context.Get(ConfigMaps, "garbled"));
    }

    [Fact]
    public async Task A_ca_bundle_that_does_not_parse_is_a_failed_call()
    {
        await _setup.ValidateWithAsync("badca", "/badca", hook => hook.ClientConfig.CaBundle = Encoding.ASCII.GetBytes("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n"));

        var error = await Assert.ThrowsAsync<ApiException>(() => _setup.CreateAsync(ConfigMap("badca")));

        Assert.Contains("failed calling webhook \"badca.webhooks.gantry.io\": ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_subresources_own_request_is_sent_with_its_kind_and_no_options_for_a_connect()
    {
        await _setup.ValidateWithAsync("exec", "/exec", hook => hook.Rules =
            [new() { Operations = ["CONNECT"], ApiGroups = [""], ApiVersions = ["v1"], Resources = ["pods/exec"] }]);
        var execOptions = new JsonObject { ["kind"] = "PodExecOptions", ["apiVersion"] = "v1", ["command"] = new JsonArray("ls") };

        await _setup.Registry.AdmitSubresourceAsync(
            Gantry.Server.Admission.Webhooks.AdmissionAttributes.ForSubresource("CONNECT", Pods, "default", "web", "exec", execOptions, null, dryRun: false, user: null),
            [], _setup.Context.Ct);

        var request = Assert.Single(Server.Requests);
        Assert.Equal("""{"group":"","version":"v1","kind":"PodExecOptions"}""", request["kind"]!.ToJsonString());
        Assert.Equal("exec", request["subResource"]!.GetValue<string>());
        Assert.Equal("ls", request["object"]!["command"]![0]!.GetValue<string>());
        Assert.Null(request["options"]);
    }

    [Fact]
    public async Task A_status_write_is_sent_with_its_subresource()
    {
        await _setup.Context.CreateAsync(Deployments, Deployment("web"));
        await _setup.ValidateWithAsync("status", "/status", hook => hook.Rules =
            [new() { Operations = ["UPDATE"], ApiGroups = ["apps"], ApiVersions = ["v1"], Resources = ["deployments/status"] }]);

        await _setup.Registry.MutateAsync(Deployments, "default", "web", obj =>
        {
            obj["status"] = new JsonObject { ["observedGeneration"] = 1 };
            return obj;
        }, null, "status", new WriteOptions(), _setup.Context.Ct);

        var request = Assert.Single(Server.Requests);
        Assert.Equal("status", request["subResource"]!.GetValue<string>());
        Assert.Equal(1, request["object"]!["status"]!["observedGeneration"]!.GetValue<int>());
        Assert.Null(request["oldObject"]!["status"]?["observedGeneration"]);
    }

    [Fact]
    public async Task A_service_webhook_is_called_at_an_endpoint_of_the_service_under_its_service_name()
    {
        await _setup.Context.CreateAsync(Services, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "webhook" },
            ["spec"] = new JsonObject
            {
                ["clusterIP"] = "None",
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = 443, ["targetPort"] = Server.Port }),
            },
        });
        await _setup.Context.CreateAsync(Endpoints, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "webhook" },
            ["subsets"] = new JsonArray(new JsonObject
            {
                ["addresses"] = new JsonArray(new JsonObject { ["ip"] = "127.0.0.1" }),
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = Server.Port }),
            }),
        });
        await _setup.ValidateWithAsync("service", "/unused", hook => hook.ClientConfig = new()
        {
            Service = new() { NamespaceProperty = "default", Name = "webhook", Path = "/by-service" },
            CaBundle = Server.CaBundle,
        });

        await _setup.CreateAsync(ConfigMap("served"));

        Assert.Equal(["/by-service"], Server.Paths);
    }

    [Fact]
    public async Task A_service_webhook_without_endpoints_fails_the_write_naming_the_service()
    {
        await _setup.ValidateWithAsync("service", "/unused", hook => hook.ClientConfig = new()
        {
            Service = new() { NamespaceProperty = "default", Name = "missing", Path = "/by-service" },
            CaBundle = Server.CaBundle,
        });

        var error = await Assert.ThrowsAsync<ApiException>(() => _setup.CreateAsync(ConfigMap("unserved")));

        Assert.EndsWith("Post \"https://missing.default.svc:443/by-service?timeout=10s\": service \"missing\" not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_webhook_that_cannot_be_reached_fails_the_write_under_failure_policy_fail()
    {
        await _setup.ValidateWithAsync("down", "/down", hook => hook.ClientConfig.Url = "https://127.0.0.1:1/down");

        var error = await Assert.ThrowsAsync<ApiException>(() => _setup.CreateAsync(ConfigMap("unreached")));

        Assert.Equal(500, error.Code);
        Assert.Equal("InternalError", error.Reason);
        Assert.StartsWith(
            "Internal error occurred: failed calling webhook \"down.webhooks.gantry.io\": failed to call webhook: Post \"https://127.0.0.1:1/down?timeout=10s\": ",
            error.Message, StringComparison.Ordinal);
        Assert.Null(_setup.Context.Get(ConfigMaps, "unreached"));
    }

    [Fact]
    public async Task A_webhook_that_cannot_be_reached_is_passed_over_under_failure_policy_ignore()
    {
        await _setup.ValidateWithAsync("down", "/down", hook =>
        {
            hook.ClientConfig.Url = "https://127.0.0.1:1/down";
            hook.FailurePolicy = "Ignore";
        });

        await _setup.CreateAsync(ConfigMap("ignored"));

        Assert.NotNull(_setup.Context.Get(ConfigMaps, "ignored"));
    }

    [Fact]
    public async Task A_webhook_slower_than_its_timeout_fails_the_write()
    {
        await _setup.ValidateWithAsync("slow", "/slow", hook => hook.TimeoutSeconds = 1);
        Server.Answer = request =>
        {
            Thread.Sleep(TimeSpan.FromSeconds(3));
            return TestWebhookServer.Allow(request);
        };

        var error = await Assert.ThrowsAsync<ApiException>(() => _setup.CreateAsync(ConfigMap("slow")));

        Assert.EndsWith("/slow?timeout=1s\": context deadline exceeded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_the_ca_bundle_does_not_sign_fails_the_call()
    {
        await _setup.ValidateWithAsync("untrusted", "/untrusted", hook => hook.ClientConfig.CaBundle = OtherCa());

        var error = await Assert.ThrowsAsync<ApiException>(() => _setup.CreateAsync(ConfigMap("untrusted")));

        Assert.Contains("failed calling webhook \"untrusted.webhooks.gantry.io\": failed to call webhook", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_for_another_request_fails_the_write()
    {
        await _setup.ValidateWithAsync("confused", "/confused");
        Server.Answer = _ => TestWebhookServer.Review(new JsonObject { ["uid"] = "someone-else", ["allowed"] = true });

        var error = await Assert.ThrowsAsync<ApiException>(() => _setup.CreateAsync(ConfigMap("confused")));

        Assert.Contains("received invalid webhook response: expected response.uid=", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_webhooks_warnings_are_returned_with_the_write()
    {
        await _setup.ValidateWithAsync("warns", "/warns");
        Server.Answer = request => TestWebhookServer.Review(new JsonObject
        {
            ["uid"] = request["uid"]!.GetValue<string>(), ["allowed"] = true, ["warnings"] = new JsonArray("configmaps are old-fashioned"),
        });
        var options = new WriteOptions();

        await _setup.CreateAsync(ConfigMap("warned"), options);

        Assert.Equal(["configmaps are old-fashioned"], options.Warnings);
    }

    [Fact]
    public async Task Writes_of_webhook_configurations_are_never_sent_to_webhooks()
    {
        await _setup.ValidateWithAsync("everything", "/everything", hook => hook.Rules =
            [new() { Operations = ["*"], ApiGroups = ["*"], ApiVersions = ["*"], Resources = ["*"] }]);

        await _setup.ValidateWithAsync("another", "/another");

        Assert.Empty(Server.Requests);
    }

    [Fact]
    public async Task A_webhook_without_reinvocation_is_called_once_whatever_later_webhooks_change()
    {
        await _setup.MutateWithAsync("a-counts", "/counts");
        await _setup.MutateWithAsync("b-changes", "/changes");
        Server.AnswerAt["/changes"] = request => Patch(request, """[{"op":"add","path":"/data/changed","value":"yes"}]""");

        await _setup.CreateAsync(ConfigMap("once"));

        Assert.Equal(["/counts", "/changes"], Server.Paths);
    }

    [Fact]
    public async Task A_rule_for_other_operations_leaves_the_write_unsent()
    {
        await _setup.ValidateWithAsync("deletes", "/deletes", hook => hook.Rules = [WebhookTestSetup.ConfigMapRule("DELETE")]);

        await _setup.CreateAsync(ConfigMap("unsent"));

        Assert.Empty(Server.Requests);
    }

    [Fact]
    public async Task A_webhook_that_asks_for_v1beta1_reviews_is_sent_one()
    {
        await _setup.ValidateWithAsync("old", "/old", hook => hook.AdmissionReviewVersions = ["v1beta1", "v1"]);
        Server.Answer = request => new JsonObject
        {
            ["apiVersion"] = "admission.k8s.io/v1beta1",
            ["kind"] = "AdmissionReview",
            ["response"] = new JsonObject { ["allowed"] = true },
        };

        await _setup.CreateAsync(ConfigMap("old"));

        Assert.NotNull(_setup.Context.Get(ConfigMaps, "old"));
    }

    [Fact]
    public async Task A_configuration_starts_at_generation_one_and_counts_changes_to_its_webhooks_only()
    {
        var created = await _setup.ValidateWithAsync("counted", "/counted");

        var labelled = await _setup.Registry.MutateAsync(Gantry.Server.Admission.Webhooks.WebhookConfigurations.ValidatingType, null, "counted", obj =>
        {
            obj["metadata"]!["labels"] = new JsonObject { ["team"] = "a" };
            return obj;
        }, null, null, new WriteOptions(), _setup.Context.Ct);
        var changed = await _setup.Registry.MutateAsync(Gantry.Server.Admission.Webhooks.WebhookConfigurations.ValidatingType, null, "counted", obj =>
        {
            obj["webhooks"]![0]!["timeoutSeconds"] = 5;
            return obj;
        }, null, null, new WriteOptions(), _setup.Context.Ct);

        Assert.Equal([1, 1, 2], new[] { created, labelled, changed }.Select(o => o["metadata"]!["generation"]!.GetValue<long>()));
    }

    [Fact]
    public async Task A_webhook_for_another_version_of_the_resource_is_sent_the_request_in_that_version()
    {
        await _setup.ValidateWithAsync("v1", "/v1", hook => hook.Rules = [AutoscalingV1Rule()]);

        await _setup.Registry.CreateAsync(Autoscalers, "default", Autoscaler("web"), new WriteOptions(), _setup.Context.Ct);

        var request = Assert.Single(Server.Requests);
        Assert.Equal("""{"group":"autoscaling","version":"v1","kind":"HorizontalPodAutoscaler"}""", request["kind"]!.ToJsonString());
        Assert.Equal("""{"group":"autoscaling","version":"v2","kind":"HorizontalPodAutoscaler"}""", request["requestKind"]!.ToJsonString());
        Assert.Equal("autoscaling/v1", request["object"]!["apiVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_exact_match_policy_leaves_a_request_in_another_version_unsent()
    {
        await _setup.ValidateWithAsync("v1", "/v1", hook =>
        {
            hook.Rules = [AutoscalingV1Rule()];
            hook.MatchPolicy = "Exact";
        });

        await _setup.Registry.CreateAsync(Autoscalers, "default", Autoscaler("web"), new WriteOptions(), _setup.Context.Ct);

        Assert.Empty(Server.Requests);
    }

    [Fact]
    public async Task A_patch_made_in_another_version_is_stored_in_the_stored_one()
    {
        await _setup.MutateWithAsync("v1", "/v1", hook => hook.Rules = [AutoscalingV1Rule()]);
        Server.Answer = request => Patch(request, """[{"op":"replace","path":"/spec/maxReplicas","value":7}]""");

        var created = await _setup.Registry.CreateAsync(Autoscalers, "default", Autoscaler("web"), new WriteOptions(), _setup.Context.Ct);

        Assert.Equal("autoscaling/v2", created["apiVersion"]!.GetValue<string>());
        Assert.Equal(7, created["spec"]!["maxReplicas"]!.GetValue<int>());
    }

    private static V1RuleWithOperations AutoscalingV1Rule() => new()
    {
        Operations = ["CREATE"], ApiGroups = ["autoscaling"], ApiVersions = ["v1"], Resources = ["horizontalpodautoscalers"],
    };

    private static JsonObject Autoscaler(string name) => new()
    {
        ["apiVersion"] = "autoscaling/v2",
        ["kind"] = "HorizontalPodAutoscaler",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["scaleTargetRef"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = name },
            ["minReplicas"] = 1,
            ["maxReplicas"] = 3,
        },
    };

    private static JsonObject Patch(JsonObject request, string patch) => TestWebhookServer.Review(new JsonObject
    {
        ["uid"] = request["uid"]!.GetValue<string>(),
        ["allowed"] = true,
        ["patchType"] = "JSONPatch",
        ["patch"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(patch)),
    });

    private static byte[] OtherCa()
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=other", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return Encoding.ASCII.GetBytes(certificate.ExportCertificatePem());
    }
}
