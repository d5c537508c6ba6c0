using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gantry.E2E.Harness;
using Gantry.E2E.Policies;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding (admissionregistration.k8s.io/v1) through the real
/// kubectl, as kube's "Validating Admission Policy" describes them: a policy judges requests only through a binding; a CEL
/// validation that is false denies (422 Invalid, or the status its <c>reason</c> names), warns or only audits, as the
/// binding's <c>validationActions</c> say, with the message its <c>messageExpression</c>, <c>message</c> or expression
/// gives; an expression that fails to evaluate is judged by the failure policy; match constraints, match conditions,
/// the binding's match resources, variables and params (named or selected, present or not) decide what is checked and
/// against what; updates and deletes are judged with <c>oldObject</c>; invalid policies and bindings are refused; and
/// policies never judge writes of policies and bindings. Policies and bindings are cluster-wide: each policy selects only
/// its test's namespace, and every one is deleted when the test ends (<see cref="PolicyScope"/>).
/// </summary>
[Collection(GantryCollection.Name)]
public sealed partial class ValidatingAdmissionPolicyTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private const string ForbiddenName = "object.metadata.name != 'forbidden'";
    private const string NoForbiddenName = "config maps named forbidden are not allowed";

    private static readonly string[] SleepCommand = ["sleep", "3600"];

    [Fact]
    public async Task A_policy_bound_with_Deny_refuses_a_create_that_breaks_it_with_its_message_and_stores_nothing()
    {
        await using var policies = await StartAsync("deny");
        await EnforceAsync(policies, Policy(policies, [Validation(ForbiddenName, message: NoForbiddenName)]));

        var denied = await Fails("create", "configmap", "forbidden", "-n", policies.Namespace);
        await Ok("create", "configmap", "allowed", "-n", policies.Namespace);

        Check.StderrContains(denied, Denial(policies, NoForbiddenName));
        Check.StderrContains(await Fails("get", "configmap", "forbidden", "-n", policies.Namespace), "not found");
    }

    [Fact]
    public async Task The_status_of_a_denial_is_422_Invalid_naming_the_object_with_the_denial_as_its_one_cause()
    {
        await using var policies = await StartAsync("deny-status");
        await EnforceAsync(policies, Policy(policies, [Validation(ForbiddenName, message: NoForbiddenName)]));

        var (code, status) = await PostAsync($"/api/v1/namespaces/{policies.Namespace}/configmaps", JsonSerializer.Serialize(ConfigMap("forbidden")));

        var denial = Denial(policies, NoForbiddenName);
        Check.Equal(422, code, "the HTTP status");
        Check.Equal("Invalid", Json.Text(status, "reason"), "reason");
        Check.Equal($"configmaps \"forbidden\" is forbidden: {denial}", Json.Text(status, "message"), "message");
        Check.Equal("forbidden configmaps", $"{Json.Text(status, "details.name")} {Json.Text(status, "details.kind")}", "details.name and details.kind");
        Check.Equal(denial, string.Join(" | ", Json.Items(status, "details.causes").Select(c => Json.Text(c, "message"))), "the messages of details.causes");
    }

    [Fact]
    public async Task A_validation_with_reason_Forbidden_refuses_with_403_Forbidden()
    {
        await using var policies = await StartAsync("reason");
        await EnforceAsync(policies, Policy(policies, [Validation(ForbiddenName, message: NoForbiddenName, reason: "Forbidden")]));

        var (code, status) = await PostAsync($"/api/v1/namespaces/{policies.Namespace}/configmaps", JsonSerializer.Serialize(ConfigMap("forbidden")));

        Check.Equal(403, code, "the HTTP status");
        Check.Equal("Forbidden", Json.Text(status, "reason"), "reason");
        Check.Equal($"configmaps \"forbidden\" is forbidden: {Denial(policies, NoForbiddenName)}", Json.Text(status, "message"), "message");
    }

    [Fact]
    public async Task A_validation_without_a_message_is_reported_as_its_failed_expression()
    {
        await using var policies = await StartAsync("default-message");
        await EnforceAsync(policies, Policy(policies, [Validation(ForbiddenName)]));

        var denied = await Fails("create", "configmap", "forbidden", "-n", policies.Namespace);

        Check.StderrContains(denied, Denial(policies, "failed expression: object.metadata.name != 'forbidden'"));
    }

    [Fact]
    public async Task A_message_expression_builds_the_message_from_the_request_and_the_object()
    {
        await using var policies = await StartAsync("message-expression");
        await EnforceAsync(policies, Policy(policies, [Validation("!object.metadata.name.startsWith('tmp-')",
            messageExpression: "request.operation + ' of config map ' + object.metadata.name + ' in ' + request.namespace + ': temporary names are not allowed'")]));

        var denied = await Fails("create", "configmap", "tmp-1", "-n", policies.Namespace);

        Check.StderrContains(denied, Denial(policies, $"CREATE of config map tmp-1 in {policies.Namespace}: temporary names are not allowed"));
    }

    [Fact]
    public async Task A_message_expression_is_used_over_the_message_when_a_validation_has_both()
    {
        await using var policies = await StartAsync("message-precedence");
        await EnforceAsync(policies, Policy(policies, [Validation("!object.metadata.name.startsWith('tmp-')",
            message: "temporary names are not allowed", messageExpression: "'config map ' + object.metadata.name + ' has a temporary name'")]));

        var denied = await Fails("create", "configmap", "tmp-1", "-n", policies.Namespace);

        Check.StderrContains(denied, Denial(policies, "config map tmp-1 has a temporary name"));
        Check.StderrLacks(denied, "temporary names are not allowed");
    }

    [Fact]
    public async Task A_message_expression_that_fails_to_evaluate_gives_way_to_the_message()
    {
        await using var policies = await StartAsync("message-fallback");
        await EnforceAsync(policies, Policy(policies, [Validation("!object.metadata.name.startsWith('tmp-')",
            message: "temporary names are not allowed", messageExpression: "'config map ' + object.metadata.name + ' lacks ' + object.data.missing")]));

        var denied = await Fails("create", "configmap", "tmp-1", "-n", policies.Namespace, "--from-literal=present=yes");

        Check.StderrContains(denied, Denial(policies, "temporary names are not allowed"));
    }

    [Fact]
    public async Task A_binding_with_Warn_lets_the_request_through_and_kubectl_prints_the_failure_as_a_warning()
    {
        await using var policies = await StartAsync("warn");
        await EnforceAsync(policies, Policy(policies, [Validation(ForbiddenName, message: NoForbiddenName)]), Binding(policies, ["Warn"]));

        var created = await Ok("create", "configmap", "forbidden", "-n", policies.Namespace);

        Check.StderrContains(created,
            $"Warning: Validation failed for ValidatingAdmissionPolicy '{policies.PolicyName}' with binding '{policies.BindingName}': {NoForbiddenName}");
        await Ok("get", "configmap", "forbidden", "-n", policies.Namespace);
    }

    [Fact]
    public async Task A_binding_with_Audit_only_lets_the_request_through_without_a_warning()
    {
        await using var policies = await StartAsync("audit");
        await EnforceAsync(policies, Policy(policies, [Validation(ForbiddenName, message: NoForbiddenName)]), Binding(policies, ["Audit"]));

        var created = await Ok("create", "configmap", "forbidden", "-n", policies.Namespace);

        Check.StderrLacks(created, "Warning");
        Check.StderrLacks(created, NoForbiddenName);
        await Ok("get", "configmap", "forbidden", "-n", policies.Namespace);
    }

    [Fact]
    public async Task An_expression_that_fails_to_evaluate_denies_the_request_under_the_default_failure_policy_Fail()
    {
        await using var policies = await StartAsync("error-fail");
        await EnforceAsync(policies, Policy(policies, [Validation("object.data.missing == 'x'")]));

        var denied = await Fails("create", "configmap", "lacking", "-n", policies.Namespace, "--from-literal=present=yes");

        Check.StderrContains(denied, Denial(policies, ""));
        Check.StderrContains(denied, "no such key: missing");
        Check.StderrContains(await Fails("get", "configmap", "lacking", "-n", policies.Namespace), "not found");
    }

    [Fact]
    public async Task An_expression_that_fails_to_evaluate_lets_the_request_through_under_failure_policy_Ignore()
    {
        await using var policies = await StartAsync("error-ignore");
        await EnforceAsync(policies, Policy(policies, [Validation("object.data.missing == 'x'")], failurePolicy: "Ignore"));

        await Ok("create", "configmap", "lacking", "-n", policies.Namespace, "--from-literal=present=yes");

        await Ok("get", "configmap", "lacking", "-n", policies.Namespace);
    }

    [Fact]
    public async Task A_param_the_binding_names_sets_the_limit_the_policy_checks()
    {
        await using var policies = await StartAsync("param-name");
        await CreateConfigMapAsync(policies.Namespace, "limits", ("maxReplicas", "3"));
        await EnforceAsync(policies, ReplicaLimitPolicy(policies), Binding(policies, ["Deny"], paramRef: ParamRef(policies, "limits", "Deny")));

        var denied = await Fails(["create", "deployment", "big", "--image=busybox", "--replicas=4", "-n", policies.Namespace, "--", .. SleepCommand]);
        await Ok(["create", "deployment", "small", "--image=busybox", "--replicas=1", "-n", policies.Namespace, "--", .. SleepCommand]);

        Check.StderrContains(denied, Denial(policies, "at most 3 replicas"));
        Check.StderrContains(await Fails("get", "deployment", "big", "-n", policies.Namespace), "not found");
    }

    [Fact]
    public async Task Every_param_the_bindings_selector_matches_is_checked()
    {
        await using var policies = await StartAsync("param-selector");
        await CreateObjectAsync(policies.Namespace, ConfigMap("low", new { limit = "replicas" }, new { maxReplicas = "2" }));
        await CreateObjectAsync(policies.Namespace, ConfigMap("high", new { limit = "replicas" }, new { maxReplicas = "5" }));
        var selected = new { selector = new { matchLabels = new { limit = "replicas" } }, @namespace = policies.Namespace, parameterNotFoundAction = "Deny" };
        await EnforceAsync(policies, ReplicaLimitPolicy(policies), Binding(policies, ["Deny"], paramRef: selected));

        var denied = await Fails(["create", "deployment", "middle", "--image=busybox", "--replicas=3", "-n", policies.Namespace, "--", .. SleepCommand]);
        await Ok(["create", "deployment", "small", "--image=busybox", "--replicas=1", "-n", policies.Namespace, "--", .. SleepCommand]);

        Check.StderrContains(denied, Denial(policies, "at most 2 replicas"));
        Check.StderrLacks(denied, "at most 5 replicas");
    }

    [Fact]
    public async Task A_missing_param_denies_every_request_when_the_binding_says_Deny()
    {
        await using var policies = await StartAsync("param-missing-deny");
        await EnforceAsync(policies, ReplicaLimitPolicy(policies), Binding(policies, ["Deny"], paramRef: ParamRef(policies, "absent", "Deny")));

        var denied = await Fails(["create", "deployment", "small", "--image=busybox", "--replicas=1", "-n", policies.Namespace, "--", .. SleepCommand]);

        Check.StderrContains(denied, Denial(policies, "failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction"));
    }

    [Fact]
    public async Task A_missing_param_leaves_the_policy_unchecked_when_the_binding_says_Allow()
    {
        await using var policies = await StartAsync("param-missing-allow");
        await EnforceAsync(policies, ReplicaLimitPolicy(policies), Binding(policies, ["Deny"], paramRef: ParamRef(policies, "absent", "Allow")));

        await Ok(["create", "deployment", "small", "--image=busybox", "--replicas=1", "-n", policies.Namespace, "--", .. SleepCommand]);

        await Ok("get", "deployment", "small", "-n", policies.Namespace);
    }

    [Fact]
    public async Task Variables_are_available_to_the_validations_and_their_messages_by_name()
    {
        await using var policies = await StartAsync("variables");
        await EnforceAsync(policies, Policy(policies,
            [Validation("variables.team in ['web', 'db']", messageExpression: "'team ' + variables.team + ' is not one of web, db'")],
            variables: [new { name = "team", expression = "has(object.metadata.labels) && 'team' in object.metadata.labels ? object.metadata.labels['team'] : ''" }]));

        var denied = await Fails(Stdin(ConfigMap("ops-settings", new { team = "ops" })), "create", "-f", "-", "-n", policies.Namespace);
        await CreateObjectAsync(policies.Namespace, ConfigMap("web-settings", new { team = "web" }));

        Check.StderrContains(denied, Denial(policies, "team ops is not one of web, db"));
    }

    [Fact]
    public async Task A_policy_is_skipped_for_a_request_one_of_its_match_conditions_is_false_for()
    {
        await using var policies = await StartAsync("match-conditions");
        await EnforceAsync(policies, Policy(policies, [Validation("false", message: "config maps are refused here")],
            matchConditions: [new { name = "not-exempt", expression = "!object.metadata.name.startsWith('exempt-')" }]));

        var denied = await Fails("create", "configmap", "kept", "-n", policies.Namespace);
        await Ok("create", "configmap", "exempt-one", "-n", policies.Namespace);

        Check.StderrContains(denied, Denial(policies, "config maps are refused here"));
    }

    [Fact]
    public async Task A_policy_leaves_alone_the_namespaces_its_namespace_selector_does_not_match()
    {
        await using var policies = await StartAsync("namespaces");
        var other = await CreateNamespaceAsync("vap-namespaces-other");
        await EnforceAsync(policies, Policy(policies, [Validation("false", message: "config maps are refused here")]));

        var denied = await Fails("create", "configmap", "same", "-n", policies.Namespace);
        await Ok("create", "configmap", "same", "-n", other);

        Check.StderrContains(denied, Denial(policies, "config maps are refused here"));
    }

    [Fact]
    public async Task An_object_selector_limits_the_policy_to_the_objects_whose_labels_match()
    {
        await using var policies = await StartAsync("object-selector");
        await EnforceAsync(policies, Policy(policies, [Validation("false", message: "strict config maps are refused")],
            objectSelector: new { matchLabels = new { policy = "strict" } }));

        var denied = await Fails(Stdin(ConfigMap("strict", new { policy = "strict" })), "create", "-f", "-", "-n", policies.Namespace);
        await CreateObjectAsync(policies.Namespace, ConfigMap("lenient", new { policy = "lenient" }));

        Check.StderrContains(denied, Denial(policies, "strict config maps are refused"));
    }

    [Fact]
    public async Task The_bindings_match_resources_narrow_the_policy_to_the_resources_they_name()
    {
        await using var policies = await StartAsync("binding-match");
        await EnforceAsync(policies,
            Policy(policies, [Validation("false", message: "refused by the policy")], rules: [Rule("", "configmaps", "CREATE"), Rule("", "secrets", "CREATE")]),
            Binding(policies, ["Deny"], matchResources: new { namespaceSelector = policies.NamespaceSelector, resourceRules = new[] { Rule("", "secrets", "CREATE") } }));

        var denied = await Fails("create", "secret", "generic", "token", "-n", policies.Namespace, "--from-literal=a=b");
        await Ok("create", "configmap", "settings", "-n", policies.Namespace);

        Check.StderrContains(denied, Denial(policies, "refused by the policy"));
    }

    [Fact]
    public async Task Excluded_resource_rules_take_the_objects_they_name_out_of_the_policy()
    {
        await using var policies = await StartAsync("exclude");
        await EnforceAsync(policies, Policy(policies, [Validation("false", message: "config maps are refused here")],
            excludeResourceRules: [Rule("", "configmaps", ["exempt"], "CREATE")]));

        var denied = await Fails("create", "configmap", "other", "-n", policies.Namespace);
        await Ok("create", "configmap", "exempt", "-n", policies.Namespace);

        Check.StderrContains(denied, Denial(policies, "config maps are refused here"));
    }

    [Fact]
    public async Task A_transition_rule_on_oldObject_refuses_an_update_that_changes_a_locked_value_and_allows_other_changes()
    {
        await using var policies = await StartAsync("transition");
        await EnforceAsync(policies, Policy(policies,
            [Validation("oldObject == null || object.data.locked == oldObject.data.locked", message: "data.locked cannot change")],
            rules: [Rule("", "configmaps", "CREATE", "UPDATE")]));
        await Ok("create", "configmap", "settings", "-n", policies.Namespace, "--from-literal=locked=yes", "--from-literal=color=red");

        var denied = await Fails("patch", "configmap", "settings", "-n", policies.Namespace, "--type=merge", "-p", """{"data":{"locked":"no"}}""");
        await Ok("patch", "configmap", "settings", "-n", policies.Namespace, "--type=merge", "-p", """{"data":{"color":"blue"}}""");

        Check.StderrContains(denied, Denial(policies, "data.locked cannot change"));
        Check.Equal("yes blue", await JsonPath(policies.Namespace, "configmap/settings", "{.data.locked} {.data.color}"), "data.locked and data.color");
    }

    [Fact]
    public async Task A_delete_is_judged_on_the_old_object_with_no_object()
    {
        await using var policies = await StartAsync("delete");
        await Ok("create", "configmap", "keep", "-n", policies.Namespace);
        await Ok("create", "configmap", "drop", "-n", policies.Namespace);
        await EnforceAsync(policies, Policy(policies,
            [Validation("object == null && oldObject.metadata.name != 'keep'", message: "config map keep cannot be deleted")],
            rules: [Rule("", "configmaps", "DELETE")]));

        var denied = await Fails("delete", "configmap", "keep", "-n", policies.Namespace);
        await Ok("delete", "configmap", "drop", "-n", policies.Namespace);

        Check.StderrContains(denied, Denial(policies, "config map keep cannot be deleted"));
        await Ok("get", "configmap", "keep", "-n", policies.Namespace);
    }

    [Fact]
    public async Task A_deployment_over_the_replica_limit_is_refused_in_the_name_of_deployments_apps()
    {
        await using var policies = await StartAsync("deployment");
        await EnforceAsync(policies, Policy(policies, [Validation("object.spec.replicas <= 3")], rules: [Rule("apps", "deployments", "CREATE", "UPDATE")]));

        var (code, status) = await PostAsync($"/apis/apps/v1/namespaces/{policies.Namespace}/deployments", Deployment("web", replicas: 5));
        await Ok(["create", "deployment", "small", "--image=busybox", "--replicas=2", "-n", policies.Namespace, "--", .. SleepCommand]);

        Check.Equal(422, code, "the HTTP status");
        Check.Equal($"deployments.apps \"web\" is forbidden: {Denial(policies, "failed expression: object.spec.replicas <= 3")}", Json.Text(status, "message"), "message");
        Check.StderrContains(await Fails("get", "deployment", "web", "-n", policies.Namespace), "not found");
    }

    [Fact]
    public async Task A_policy_without_a_binding_and_a_binding_without_a_policy_change_nothing()
    {
        await using var policies = await StartAsync("unbound");
        Check.Succeeded(await policies.ApplyAsync(Policy(policies, [Validation("false", message: "config maps are refused here")])));
        Check.Succeeded(await policies.ApplyAsync(Binding(policies, ["Deny"], policyName: policies.PolicyName + "-absent")));

        await Ok("create", "configmap", "free", "-n", policies.Namespace);

        await Ok("get", "configmap", "free", "-n", policies.Namespace);
    }

    [Fact]
    public async Task Policies_never_judge_writes_of_policies_or_bindings_so_none_can_lock_them()
    {
        await using var policies = await StartAsync("policy-writes");
        // Only objects labelled for this test are matched, so a server that judged such writes would refuse nothing else.
        var guarded = new Dictionary<string, string> { ["e2e.gantry.io/guarded"] = policies.Namespace };
        await EnforceAsync(policies, Policy(policies, [Validation("false", message: "policies are locked")],
            rules: [Rule("admissionregistration.k8s.io", "validatingadmissionpolicies", "CREATE", "DELETE"),
                    Rule("admissionregistration.k8s.io", "validatingadmissionpolicybindings", "CREATE", "DELETE")],
            objectSelector: new { matchLabels = guarded }));
        var probe = policies.PolicyName + "-probe";

        Check.Succeeded(await policies.ApplyAsync(Policy(policies, [Validation("true")], name: probe, labels: guarded)));
        Check.Succeeded(await policies.ApplyAsync(Binding(policies, ["Deny"], policyName: probe, name: probe + "-binding", labels: guarded)));
        await Ok("delete", "validatingadmissionpolicybinding", probe + "-binding");
        await Ok("delete", "validatingadmissionpolicy", probe);
    }

    [Fact]
    public async Task A_binding_with_both_Deny_and_Warn_is_refused()
    {
        await using var policies = await StartAsync("invalid-actions");

        var refused = Check.Failed(await policies.ApplyAsync(Binding(policies, ["Deny", "Warn"])));

        Check.StderrContains(refused, $"The ValidatingAdmissionPolicyBinding \"{policies.BindingName}\" is invalid");
        Check.StderrContains(refused, "spec.validationActions: Invalid value: ");
        Check.StderrContains(refused, "must not contain both Deny and Warn");
        Check.StderrContains(await Fails("get", "validatingadmissionpolicybinding", policies.BindingName), "not found");
    }

    [Fact]
    public async Task A_binding_without_validation_actions_is_refused()
    {
        await using var policies = await StartAsync("invalid-no-actions");

        var refused = Check.Failed(await policies.ApplyAsync(Binding(policies, [])));

        Check.StderrContains(refused, $"The ValidatingAdmissionPolicyBinding \"{policies.BindingName}\" is invalid");
        Check.StderrContains(refused, "spec.validationActions: Required value: at least one validation action is required");
        Check.StderrContains(await Fails("get", "validatingadmissionpolicybinding", policies.BindingName), "not found");
    }

    [Fact]
    public async Task A_policy_whose_expression_does_not_compile_is_refused()
    {
        await using var policies = await StartAsync("invalid-expression");

        var refused = Check.Failed(await policies.ApplyAsync(Policy(policies, [Validation("object.metadata.name ==")])));

        Check.StderrContains(refused, $"The ValidatingAdmissionPolicy \"{policies.PolicyName}\" is invalid");
        Check.StderrContains(refused, "spec.validations[0].expression: Invalid value: \"object.metadata.name ==\": compilation failed: ");
        Check.StderrContains(await Fails("get", "validatingadmissionpolicy", policies.PolicyName), "not found");
    }

    [Fact]
    public async Task A_policy_without_match_constraints_is_refused()
    {
        await using var policies = await StartAsync("invalid-constraints");
        var unconstrained = new
        {
            apiVersion = "admissionregistration.k8s.io/v1",
            kind = "ValidatingAdmissionPolicy",
            metadata = new { name = policies.PolicyName },
            spec = new { validations = new[] { Validation("true") } },
        };

        var refused = Check.Failed(await policies.ApplyAsync(unconstrained));

        Check.StderrContains(refused, $"The ValidatingAdmissionPolicy \"{policies.PolicyName}\" is invalid");
        Check.StderrContains(refused, "spec.matchConstraints: Required value");
        Check.StderrContains(await Fails("get", "validatingadmissionpolicy", policies.PolicyName), "not found");
    }

    [Fact]
    public async Task Get_shows_a_policys_validation_count_and_param_kind_and_a_bindings_policy_and_param()
    {
        await using var policies = await StartAsync("listed");
        var plain = policies.PolicyName + "-plain";
        Check.Succeeded(await policies.ApplyAsync(Policy(policies,
            [Validation("object.spec.replicas <= int(params.data.maxReplicas)"), Validation("object.spec.replicas > 0")],
            rules: [Rule("apps", "deployments", "CREATE")], withParams: true)));
        Check.Succeeded(await policies.ApplyAsync(Policy(policies, [Validation("true")], name: plain)));
        Check.Succeeded(await policies.ApplyAsync(Binding(policies, ["Deny"], paramRef: ParamRef(policies, "limits", "Deny"))));
        Check.Succeeded(await policies.ApplyAsync(Binding(policies, ["Audit"], policyName: plain, name: plain + "-binding")));

        var policyTable = (await Ok("get", "validatingadmissionpolicies", policies.PolicyName, plain)).StdoutLines;
        var bindingTable = (await Ok("get", "validatingadmissionpolicybindings", policies.BindingName, plain + "-binding")).StdoutLines;

        Check.Equal("NAME|VALIDATIONS|PARAMKIND|AGE", Row(policyTable[0]), "the header of get validatingadmissionpolicies");
        Check.Equal($"{policies.PolicyName}|2|v1/ConfigMap", RowOf(policyTable, policies.PolicyName, cells: 3), "the row of the policy with params");
        Check.Equal($"{plain}|1|<unset>", RowOf(policyTable, plain, cells: 3), "the row of the policy without params");
        Check.Equal("NAME|POLICYNAME|PARAMREF|AGE", Row(bindingTable[0]), "the header of get validatingadmissionpolicybindings");
        Check.Equal($"{policies.BindingName}|{policies.PolicyName}|{policies.Namespace}/limits", RowOf(bindingTable, policies.BindingName, cells: 3),
            "the row of the binding with a param");
        Check.Equal($"{plain}-binding|{plain}|<unset>", RowOf(bindingTable, plain + "-binding", cells: 3), "the row of the binding without a param");
    }

    [Fact]
    public async Task Api_resources_lists_policies_and_bindings_as_cluster_scoped()
    {
        var resources = (await Ok("api-resources", "--api-group=admissionregistration.k8s.io")).StdoutLines.Select(l => string.Join(' ', Cells(l))).ToList();

        Assert.Contains("validatingadmissionpolicies admissionregistration.k8s.io/v1 false ValidatingAdmissionPolicy", resources);
        Assert.Contains("validatingadmissionpolicybindings admissionregistration.k8s.io/v1 false ValidatingAdmissionPolicyBinding", resources);
    }

    /// <summary>Creates the namespace <c>e2e-vap-TAG</c> and the test's policy scope in it.</summary>
    private async Task<PolicyScope> StartAsync(string tag) => new(await CreateNamespaceAsync("vap-" + tag), Kubectl);

    /// <summary>Applies <paramref name="policy"/> and <paramref name="binding"/> (by default the test's binding with Deny); requires both to succeed.</summary>
    private static async Task EnforceAsync(PolicyScope policies, object policy, object? binding = null)
    {
        Check.Succeeded(await policies.ApplyAsync(policy));
        Check.Succeeded(await policies.ApplyAsync(binding ?? Binding(policies, ["Deny"])));
    }

    /// <summary>What a denial by the test's policy through the test's binding says, as kube words it.</summary>
    private static string Denial(PolicyScope policies, string message) =>
        $"ValidatingAdmissionPolicy '{policies.PolicyName}' with binding '{policies.BindingName}' denied request: {message}";

    /// <summary>
    /// A ValidatingAdmissionPolicy named <paramref name="name"/> (the test's policy by default) with
    /// <paramref name="validations"/>, for <paramref name="rules"/> (creates of config maps by default) in the test's
    /// namespace only; with a ConfigMap as its param kind when <paramref name="withParams"/>.
    /// </summary>
    private static object Policy(PolicyScope policies, object[] validations, object[]? rules = null, string? name = null, bool withParams = false,
        object[]? matchConditions = null, object[]? variables = null, string? failurePolicy = null, object? objectSelector = null,
        object[]? excludeResourceRules = null, object? labels = null) => new
    {
        apiVersion = "admissionregistration.k8s.io/v1",
        kind = "ValidatingAdmissionPolicy",
        metadata = new { name = name ?? policies.PolicyName, labels },
        spec = new
        {
            failurePolicy,
            paramKind = withParams ? new { apiVersion = "v1", kind = "ConfigMap" } : null,
            matchConstraints = new
            {
                resourceRules = rules ?? [Rule("", "configmaps", "CREATE")],
                excludeResourceRules,
                namespaceSelector = policies.NamespaceSelector,
                objectSelector,
            },
            matchConditions,
            variables,
            validations,
        },
    };

    /// <summary>
    /// A ValidatingAdmissionPolicyBinding named <paramref name="name"/> (the test's binding by default) of
    /// <paramref name="policyName"/> (the test's policy by default) with <paramref name="actions"/>.
    /// </summary>
    private static object Binding(PolicyScope policies, string[] actions, object? paramRef = null, object? matchResources = null,
        string? policyName = null, string? name = null, object? labels = null) => new
    {
        apiVersion = "admissionregistration.k8s.io/v1",
        kind = "ValidatingAdmissionPolicyBinding",
        metadata = new { name = name ?? policies.BindingName, labels },
        spec = new { policyName = policyName ?? policies.PolicyName, paramRef, validationActions = actions, matchResources },
    };

    /// <summary>The test's policy for deployments: at most <c>params.data.maxReplicas</c> replicas, the limit in the message.</summary>
    private static object ReplicaLimitPolicy(PolicyScope policies) =>
        Policy(policies, [Validation("object.spec.replicas <= int(params.data.maxReplicas)", messageExpression: "'at most ' + params.data.maxReplicas + ' replicas'")],
            rules: [Rule("apps", "deployments", "CREATE")], withParams: true);

    private static object Validation(string expression, string? message = null, string? messageExpression = null, string? reason = null) =>
        new { expression, message, messageExpression, reason };

    /// <summary>A rule for the v1 <paramref name="resource"/> of <paramref name="group"/> and <paramref name="operations"/>.</summary>
    private static object Rule(string group, string resource, params string[] operations) => Rule(group, resource, null, operations);

    /// <summary>A rule as <see cref="Rule(string, string, string[])"/>, for the objects <paramref name="resourceNames"/> only.</summary>
    private static object Rule(string group, string resource, string[]? resourceNames, params string[] operations) => new
    {
        apiGroups = new[] { group },
        apiVersions = new[] { "v1" },
        operations,
        resources = new[] { resource },
        resourceNames,
    };

    /// <summary>A param reference to the config map <paramref name="name"/> in the test's namespace.</summary>
    private static object ParamRef(PolicyScope policies, string name, string parameterNotFoundAction) =>
        new { name, @namespace = policies.Namespace, parameterNotFoundAction };

    private static object ConfigMap(string name, object? labels = null, object? data = null) => new
    {
        apiVersion = "v1",
        kind = "ConfigMap",
        metadata = new { name, labels = labels ?? new { } },
        data = data ?? new { a = "b" },
    };

    private static string Deployment(string name, int replicas) => JsonSerializer.Serialize(new
    {
        apiVersion = "apps/v1",
        kind = "Deployment",
        metadata = new { name },
        spec = new
        {
            replicas,
            selector = new { matchLabels = new { app = name } },
            template = new
            {
                metadata = new { labels = new { app = name } },
                spec = new { containers = new[] { new { name = "main", image = "busybox", command = SleepCommand } } },
            },
        },
    });

    private static KubectlOptions Stdin(object manifest) => new() { Stdin = JsonSerializer.Serialize(manifest) };

    private async Task<CommandResult> Fails(KubectlOptions options, params string[] args) => Check.Failed(await Kubectl.RunAsync(args, options));

    /// <summary>
    /// POSTs <paramref name="json"/> to <paramref name="path"/> as the admin with curl, the token passed on stdin so that
    /// it stays out of the logged command line; the HTTP status and the parsed body.
    /// </summary>
    private async Task<(int Code, JsonElement Body)> PostAsync(string path, string json)
    {
        var result = Check.Succeeded(await ProcessRunner.RunAsync("curl",
            ["-sk", "-X", "POST", "-H", "@-", "-H", "Content-Type: application/json", "-d", json, "-w", "\n%{http_code}", Fixture.BaseUrl + path],
            "Authorization: Bearer " + AdminToken() + "\n", null, TimeSpan.FromSeconds(15)));
        Output.WriteLine(result.Describe());
        var cut = result.Stdout.LastIndexOf('\n');
        using var body = JsonDocument.Parse(result.Stdout[..cut]);
        return (int.Parse(result.Stdout[(cut + 1)..], CultureInfo.InvariantCulture), body.RootElement.Clone());
    }

    /// <summary>A table line's cells joined by '|' (cells are separated by two spaces or more, as kubectl pads them).</summary>
    private static string Row(string line) => string.Join('|', TableGap().Split(line.Trim()));

    /// <summary>The first <paramref name="cells"/> cells of the table row whose first cell is <paramref name="name"/>, joined by '|'.</summary>
    private static string RowOf(IReadOnlyList<string> table, string name, int cells) =>
        table.Skip(1).Select(l => TableGap().Split(l.Trim())).Where(c => c[0] == name)
            .Select(c => string.Join('|', c.Take(cells))).FirstOrDefault()
        ?? $"(no row for {name} in:\n{string.Join('\n', table)})";

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex TableGap();
}
