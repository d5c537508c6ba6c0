using System.Text.Json.Nodes;
using Gantry.Server.Registry;
using Gantry.Tests.Registry;
using Xunit;
using static Gantry.Tests.Admission.Policies.PolicyTestSetup;

namespace Gantry.Tests.Admission.Policies;

/// <summary>
/// ValidatingAdmissionPolicies as kube's validating policy plugin applies them: through their bindings, on the request
/// in the version matched, with params, variables and match conditions, each failed validation doing what its binding's
/// validation actions say, and kube's Status for a refusal.
/// </summary>
public sealed class PolicyAdmissionTests : IAsyncLifetime
{
    private PolicyTestSetup _setup = null!;

    public async Task InitializeAsync() => _setup = await StartAsync();

    public async Task DisposeAsync() => await _setup.DisposeAsync();

    [Fact]
    public async Task A_failed_validation_under_a_Deny_binding_refuses_the_request_as_Invalid_naming_policy_and_binding()
    {
        await _setup.PolicyAsync("named", Validations("object.metadata.name != 'bad'"));
        await _setup.BindingAsync("named-binding", "named");

        var refusal = await _setup.RefusalOfAsync(RegistryTestContext.ConfigMap("bad"));

        Assert.NotNull(refusal);
        Assert.Equal(422, refusal.Code);
        Assert.Equal("Invalid", refusal.Reason);
        const string denied = "ValidatingAdmissionPolicy 'named' with binding 'named-binding' denied request: failed expression: object.metadata.name != 'bad'";
        Assert.Equal($"configmaps \"bad\" is forbidden: {denied}", refusal.Message);
        Assert.Equal(denied, refusal.Details!["causes"]![0]!["message"]!.GetValue<string>());
        Assert.Equal("bad", refusal.Details["name"]!.GetValue<string>());
        Assert.Null(_setup.Context.Get(RegistryTestContext.ConfigMaps, "bad"));
    }

    [Fact]
    public async Task A_request_the_validations_pass_is_written()
    {
        await _setup.PolicyAsync("named", Validations("object.metadata.name != 'bad'"));
        await _setup.BindingAsync("named", "named");

        await _setup.CreateAsync(RegistryTestContext.ConfigMap("good"));

        Assert.NotNull(_setup.Context.Get(RegistryTestContext.ConfigMaps, "good"));
    }

    [Fact]
    public async Task A_policy_without_a_binding_changes_nothing()
    {
        await _setup.PolicyAsync("unbound", Validations("false"));
        await _setup.BindingAsync("elsewhere", "another-policy");

        Assert.Null(await _setup.RefusalOfAsync(RegistryTestContext.ConfigMap("free")));
    }

    [Fact]
    public async Task The_message_is_the_message_expression_result_when_it_gives_one()
    {
        await _setup.PolicyAsync("messages", new JsonArray(new JsonObject
        {
            ["expression"] = "false",
            ["message"] = "static message",
            ["messageExpression"] = "'name ' + object.metadata.name + ' is refused'",
        }));
        await _setup.BindingAsync("messages", "messages");

        var refusal = await _setup.RefusalOfAsync(RegistryTestContext.ConfigMap("c1"));

        Assert.EndsWith("denied request: name c1 is refused", refusal!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_expression_that_fails_gives_way_to_the_static_message()
    {
        await _setup.PolicyAsync("messages", new JsonArray(new JsonObject
        {
            ["expression"] = "false",
            ["message"] = "static message",
            ["messageExpression"] = "object.data.missing",
        }));
        await _setup.BindingAsync("messages", "messages");

        var refusal = await _setup.RefusalOfAsync(RegistryTestContext.ConfigMap("c1"));

        Assert.EndsWith("denied request: static message", refusal!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Forbidden", 403)]
    [InlineData("Unauthorized", 401)]
    [InlineData("RequestEntityTooLarge", 413)]
    public async Task The_validation_reason_is_the_refusal_reason_and_code(string reason, int code)
    {
        await _setup.PolicyAsync("reasons", new JsonArray(new JsonObject { ["expression"] = "false", ["reason"] = reason }));
        await _setup.BindingAsync("reasons", "reasons");

        var refusal = await _setup.RefusalOfAsync(RegistryTestContext.ConfigMap("c1"));

        Assert.Equal((code, reason), (refusal!.Code, refusal.Reason));
    }

    [Fact]
    public async Task A_Warn_binding_writes_the_object_with_kube_warning()
    {
        await _setup.PolicyAsync("warned", Validations("object.metadata.name != 'noisy'"));
        await _setup.BindingAsync("warned-binding", "warned", "Warn");
        var options = new WriteOptions();

        await _setup.CreateAsync(RegistryTestContext.ConfigMap("noisy"), options: options);

        Assert.Equal(
            ["Validation failed for ValidatingAdmissionPolicy 'warned' with binding 'warned-binding': failed expression: object.metadata.name != 'noisy'"],
            options.Warnings);
    }

    [Fact]
    public async Task An_Audit_binding_writes_the_object_without_a_warning()
    {
        await _setup.PolicyAsync("audited", Validations("false"));
        await _setup.BindingAsync("audited", "audited", "Audit");
        var options = new WriteOptions();

        await _setup.CreateAsync(RegistryTestContext.ConfigMap("quiet"), options: options);

        Assert.Empty(options.Warnings);
    }

    [Fact]
    public async Task An_expression_that_fails_to_evaluate_refuses_under_failure_policy_Fail()
    {
        await _setup.PolicyAsync("erring", Validations("object.data.missing == 'x'"));
        await _setup.BindingAsync("erring", "erring");

        var refusal = await _setup.RefusalOfAsync(RegistryTestContext.ConfigMap("c1"));

        Assert.EndsWith("denied request: expression 'object.data.missing == 'x'' resulted in error: no such key: missing", refusal!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expression_that_fails_to_evaluate_is_passed_over_under_failure_policy_Ignore()
    {
        await _setup.PolicyAsync("erring", Validations("object.data.missing == 'x'", "object.metadata.name != 'bad'"), spec => spec["failurePolicy"] = "Ignore");
        await _setup.BindingAsync("erring", "erring");

        Assert.Null(await _setup.RefusalOfAsync(RegistryTestContext.ConfigMap("c1")));
        Assert.NotNull(await _setup.RefusalOfAsync(RegistryTestContext.ConfigMap("bad")));
    }

    [Fact]
    public async Task The_param_a_binding_names_is_params()
    {
        await _setup.CreateAsync(Limits("limits", "2"), "kube-system");
        await _setup.PolicyAsync("limited", Validations("size(object.data) <= int(params.data.max)"), WithConfigMapParams);
        await _setup.BindingAsync("limited", "limited", change: spec => spec["paramRef"] = new JsonObject
        {
            ["name"] = "limits", ["namespace"] = "kube-system", ["parameterNotFoundAction"] = "Deny",
        });

        Assert.Null(await _setup.RefusalOfAsync(WithData("two", 2)));
        Assert.NotNull(await _setup.RefusalOfAsync(WithData("three", 3)));
    }

    [Fact]
    public async Task A_param_without_a_namespace_is_looked_up_in_the_request_namespace()
    {
        await _setup.CreateAsync(Limits("limits", "1"));
        await _setup.PolicyAsync("limited", Validations("size(object.data) <= int(params.data.max)"), WithConfigMapParams);
        await _setup.BindingAsync("limited", "limited", change: spec => spec["paramRef"] = new JsonObject { ["name"] = "limits", ["parameterNotFoundAction"] = "Deny" });

        Assert.NotNull(await _setup.RefusalOfAsync(WithData("two", 2)));
    }

    [Fact]
    public async Task Params_not_found_refuse_the_request_under_Deny()
    {
        await _setup.PolicyAsync("limited", Validations("true"), WithConfigMapParams);
        await _setup.BindingAsync("limited-binding", "limited", change: spec => spec["paramRef"] = new JsonObject { ["name"] = "absent", ["parameterNotFoundAction"] = "Deny" });

        var refusal = await _setup.RefusalOfAsync(RegistryTestContext.ConfigMap("c1"));

        Assert.EndsWith(
            "ValidatingAdmissionPolicy 'limited' with binding 'limited-binding' denied request: failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction",
            refusal!.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Params_not_found_skip_the_policy_under_Allow()
    {
        await _setup.PolicyAsync("limited", Validations("false"), WithConfigMapParams);
        await _setup.BindingAsync("limited", "limited", change: spec => spec["paramRef"] = new JsonObject { ["name"] = "absent", ["parameterNotFoundAction"] = "Allow" });

        Assert.Null(await _setup.RefusalOfAsync(RegistryTestContext.ConfigMap("c1")));
    }

    [Fact]
    public async Task Each_param_a_selector_selects_is_checked()
    {
        await _setup.CreateAsync(Labelled(Limits("loose", "5"), "limits"));
        await _setup.CreateAsync(Labelled(Limits("tight", "1"), "limits"));
        await _setup.PolicyAsync("limited", new JsonArray(new JsonObject
        {
            ["expression"] = "size(object.data) <= int(params.data.max)",
            ["messageExpression"] = "'over ' + params.metadata.name",
        }), WithConfigMapParams);
        await _setup.BindingAsync("limited", "limited", change: spec => spec["paramRef"] = new JsonObject
        {
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["role"] = "limits" } }, ["parameterNotFoundAction"] = "Deny",
        });

        var refusal = await _setup.RefusalOfAsync(WithData("two", 2));

        Assert.EndsWith("denied request: over tight", refusal!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_paramKind_no_resource_serves_refuses_matching_requests_under_Fail()
    {
        await _setup.PolicyAsync("unknown-params", Validations("true"), spec => spec["paramKind"] = new JsonObject { ["apiVersion"] = "example.com/v1", ["kind"] = "Limit" });
        await _setup.BindingAsync("unknown-params", "unknown-params", change: spec => spec["paramRef"] = new JsonObject { ["name"] = "x", ["parameterNotFoundAction"] = "Deny" });

        var refusal = await _setup.RefusalOfAsync(RegistryTestContext.ConfigMap("c1"));

        Assert.EndsWith(
            "ValidatingAdmissionPolicy 'unknown-params' denied request: failed to configure policy: failed to find resource referenced by paramKind: 'example.com/v1, Kind=Limit'",
            refusal!.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_false_match_condition_skips_the_policy()
    {
        await _setup.PolicyAsync("conditional", Validations("false"), spec => spec["matchConditions"] = new JsonArray(new JsonObject
        {
            ["name"] = "only-checked", ["expression"] = "object.metadata.name.startsWith('checked-')",
        }));
        await _setup.BindingAsync("conditional", "conditional");

        Assert.Null(await _setup.RefusalOfAsync(RegistryTestContext.ConfigMap("other")));
        Assert.NotNull(await _setup.RefusalOfAsync(RegistryTestContext.ConfigMap("checked-one")));
    }

    [Fact]
    public async Task Variables_are_named_by_later_variables_and_the_validations()
    {
        await _setup.PolicyAsync("variables", Validations("!variables.isBad"), spec => spec["variables"] = new JsonArray(
            new JsonObject { ["name"] = "name", ["expression"] = "object.metadata.name" },
            new JsonObject { ["name"] = "isBad", ["expression"] = "variables.name == 'bad'" }));
        await _setup.BindingAsync("variables", "variables");

        Assert.Null(await _setup.RefusalOfAsync(RegistryTestContext.ConfigMap("good")));
        Assert.NotNull(await _setup.RefusalOfAsync(RegistryTestContext.ConfigMap("bad")));
    }

    [Fact]
    public async Task A_variable_named_twice_holds_its_last_definition()
    {
        await _setup.PolicyAsync("twice", Validations("variables.allowed"), spec => spec["variables"] = new JsonArray(
            new JsonObject { ["name"] = "allowed", ["expression"] = "false" },
            new JsonObject { ["name"] = "allowed", ["expression"] = "object.metadata.name != 'bad'" }));
        await _setup.BindingAsync("twice", "twice");

        Assert.Null(await _setup.RefusalOfAsync(RegistryTestContext.ConfigMap("good")));
        Assert.NotNull(await _setup.RefusalOfAsync(RegistryTestContext.ConfigMap("bad")));
    }

    [Fact]
    public async Task A_match_condition_is_not_shown_the_namespace_object()
    {
        await _setup.PolicyAsync("conditional", Validations("true"), spec => spec["matchConditions"] = new JsonArray(new JsonObject
        {
            ["name"] = "namespace-less", ["expression"] = "namespaceObject == null",
        }));
        await _setup.BindingAsync("conditional", "conditional");

        Assert.Null(await _setup.RefusalOfAsync(RegistryTestContext.ConfigMap("c1")));
    }

    [Fact]
    public async Task A_binding_match_resources_narrow_its_policy()
    {
        await _setup.PolicyAsync("everywhere", Validations("false"));
        await _setup.BindingAsync("system-only", "everywhere", change: spec => spec["matchResources"] = new JsonObject
        {
            ["namespaceSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["kubernetes.io/metadata.name"] = "kube-system" } },
        });

        Assert.Null(await _setup.RefusalOfAsync(RegistryTestContext.ConfigMap("c1")));
        Assert.NotNull(await _setup.RefusalOfAsync(RegistryTestContext.ConfigMap("c1"), "kube-system"));
    }

    [Fact]
    public async Task Excluded_resource_rules_exclude_the_objects_they_name()
    {
        await _setup.PolicyAsync("all-but-one", Validations("false"), spec =>
        {
            var excluded = ConfigMapRule();
            excluded["resourceNames"] = new JsonArray("exempt");
            spec["matchConstraints"]!["excludeResourceRules"] = new JsonArray(excluded);
        });
        await _setup.BindingAsync("all-but-one", "all-but-one");

        Assert.Null(await _setup.RefusalOfAsync(RegistryTestContext.ConfigMap("exempt")));
        Assert.NotNull(await _setup.RefusalOfAsync(RegistryTestContext.ConfigMap("other")));
    }

    [Fact]
    public async Task An_update_shows_the_old_object()
    {
        await _setup.CreateAsync(RegistryTestContext.ConfigMap("locked"));
        await _setup.PolicyAsync("immutable", Validations("oldObject == null || object.data == oldObject.data"));
        await _setup.BindingAsync("immutable", "immutable");

        var refusal = await Assert.ThrowsAsync<Gantry.Server.Api.ApiException>(() => _setup.Registry.MutateAsync(
            RegistryTestContext.ConfigMaps, "default", "locked", obj => { obj["data"] = new JsonObject { ["key"] = "changed" }; return obj; },
            null, null, new WriteOptions(), _setup.Ct));

        Assert.Contains("denied request: failed expression: oldObject == null", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_namespace_object_shows_the_request_namespace_labels()
    {
        await _setup.PolicyAsync("namespaced", Validations("namespaceObject.metadata.labels['kubernetes.io/metadata.name'] != 'kube-system'"));
        await _setup.BindingAsync("namespaced", "namespaced");

        Assert.Null(await _setup.RefusalOfAsync(RegistryTestContext.ConfigMap("c1")));
        Assert.NotNull(await _setup.RefusalOfAsync(RegistryTestContext.ConfigMap("c1"), "kube-system"));
    }

    [Fact]
    public async Task The_request_variable_describes_the_request()
    {
        await _setup.PolicyAsync("requests", Validations(
            "request.operation == 'CREATE' && request.resource.resource == 'configmaps' && request.kind.kind == 'ConfigMap' && request.namespace == 'default'"));
        await _setup.BindingAsync("requests", "requests");

        Assert.Null(await _setup.RefusalOfAsync(RegistryTestContext.ConfigMap("c1")));
    }

    [Fact]
    public async Task An_audit_annotation_of_a_type_other_than_string_refuses_the_request_whatever_the_actions()
    {
        await _setup.PolicyAsync("annotated", Validations("true"), spec => spec["auditAnnotations"] = new JsonArray(new JsonObject
        {
            ["key"] = "size", ["valueExpression"] = "size(object.data)",
        }));
        await _setup.BindingAsync("annotated", "annotated", "Warn");

        var refusal = await _setup.RefusalOfAsync(RegistryTestContext.ConfigMap("c1"));

        Assert.EndsWith(
            "denied request: valueExpression 'size(object.data)' resulted in unsupported return type: int. Return type must be either string or null.",
            refusal!.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_refusal_in_policy_and_binding_name_order_is_the_error()
    {
        await _setup.PolicyAsync("b-policy", Validations("false"));
        await _setup.PolicyAsync("a-policy", Validations("false"));
        await _setup.BindingAsync("z-binding", "a-policy");
        await _setup.BindingAsync("y-binding", "a-policy");
        await _setup.BindingAsync("x-binding", "b-policy");

        var refusal = await _setup.RefusalOfAsync(RegistryTestContext.ConfigMap("c1"));

        Assert.Contains("ValidatingAdmissionPolicy 'a-policy' with binding 'y-binding'", refusal!.Message, StringComparison.Ordinal);
    }

    private static void WithConfigMapParams(JsonObject spec) => spec["paramKind"] = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap" };

    private static JsonObject Limits(string name, string max) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name },
        ["data"] = new JsonObject { ["max"] = max },
    };

    private static JsonObject Labelled(JsonObject obj, string role)
    {
        obj["metadata"]!["labels"] = new JsonObject { ["role"] = role };
        return obj;
    }

    private static JsonObject WithData(string name, int entries) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name },
        ["data"] = new JsonObject([.. Enumerable.Range(0, entries).Select(i => KeyValuePair.Create($"k{i}", (JsonNode?)"v"))]),
    };
}
