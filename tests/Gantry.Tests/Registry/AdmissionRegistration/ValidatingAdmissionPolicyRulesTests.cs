using k8s.Models;
using Xunit;
using static Gantry.Tests.Registry.AdmissionRegistration.PolicyFixtures;

namespace Gantry.Tests.Registry.AdmissionRegistration;

public sealed class ValidatingAdmissionPolicyRulesTests
{
    [Fact]
    public void A_policy_matching_deployments_with_one_validation_is_valid()
    {
        Assert.Empty(Errors(Policy()));
    }

    [Fact]
    public void Defaulting_fills_in_the_failure_policy_match_policy_selectors_and_rule_scopes_as_kube_v1_does()
    {
        var policy = PolicyWith(s => s.MatchConstraints.ExcludeResourceRules =
            [new V1NamedRuleWithOperations { Operations = ["*"], ApiGroups = ["apps"], ApiVersions = ["v1"], Resources = ["deployments"], ResourceNames = ["system"] }]);

        Policies.Default(policy);

        var match = policy.Spec.MatchConstraints;
        Assert.Equal("Fail", policy.Spec.FailurePolicy);
        Assert.Equal("Equivalent", match.MatchPolicy);
        Assert.NotNull(match.NamespaceSelector);
        Assert.Null(match.NamespaceSelector.MatchLabels);
        Assert.NotNull(match.ObjectSelector);
        Assert.Equal("*", match.ResourceRules[0].Scope);
        Assert.Equal("*", match.ExcludeResourceRules[0].Scope);
    }

    [Fact]
    public void Defaulting_keeps_what_the_client_set()
    {
        var policy = PolicyWith(s =>
        {
            s.FailurePolicy = "Ignore";
            s.MatchConstraints.MatchPolicy = "Exact";
            s.MatchConstraints.ResourceRules[0].Scope = "Namespaced";
        });

        Policies.Default(policy);

        Assert.Equal(("Ignore", "Exact", "Namespaced"), (policy.Spec.FailurePolicy, policy.Spec.MatchConstraints.MatchPolicy, policy.Spec.MatchConstraints.ResourceRules[0].Scope));
    }

    [Fact]
    public void A_policy_without_match_constraints_gets_none_by_default_and_is_refused()
    {
        var policy = PolicyWith(s => s.MatchConstraints = null);

        Assert.Equal(["spec.matchConstraints: Required value"], Errors(policy));
        Assert.Null(policy.Spec.MatchConstraints);
    }

    [Fact]
    public void A_failure_policy_other_than_fail_or_ignore_is_refused()
    {
        Assert.Equal(
            ["spec.failurePolicy: Unsupported value: \"Sometimes\": supported values: \"Fail\", \"Ignore\""],
            Errors(PolicyWith(s => s.FailurePolicy = "Sometimes")));
    }

    [Fact]
    public void A_policy_that_was_not_defaulted_needs_a_failure_policy_and_a_match_policy()
    {
        var policy = Policy();
        policy.Spec.MatchConstraints.NamespaceSelector = new V1LabelSelector();
        policy.Spec.MatchConstraints.ObjectSelector = new V1LabelSelector();

        Assert.Equal(
            ["spec.failurePolicy: Required value", "spec.matchConstraints.matchPolicy: Required value"],
            Policies.ValidateCreate(policy).Select(e => e.ToString()));
    }

    [Fact]
    public void Match_constraints_need_at_least_one_resource_rule()
    {
        Assert.Equal(["spec.matchConstraints.resourceRules: Required value"], Errors(PolicyWith(s => s.MatchConstraints.ResourceRules = [])));
    }

    [Fact]
    public void Match_constraints_are_checked_as_kube_checks_match_resources()
    {
        var policy = PolicyWith(s =>
        {
            s.MatchConstraints.MatchPolicy = "Loose";
            s.MatchConstraints.ObjectSelector = new V1LabelSelector
            {
                MatchExpressions = [new V1LabelSelectorRequirement { Key = "tier", OperatorProperty = "In", Values = ["front end"] }],
            };
            s.MatchConstraints.ExcludeResourceRules = [new V1NamedRuleWithOperations { ApiGroups = ["apps"], ApiVersions = ["v1"], Resources = ["deployments"] }];
        });

        Assert.Equal(
            [
                "spec.matchConstraints.matchPolicy: Unsupported value: \"Loose\": supported values: \"Equivalent\", \"Exact\"",
                "spec.matchConstraints.objectSelector.matchExpressions[0].values[0]: Invalid value: \"front end\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
                "spec.matchConstraints.excludeResourceRules[0].operations: Required value",
            ],
            Errors(policy));
    }

    [Fact]
    public void Resource_names_must_be_path_segments_and_unique()
    {
        var policy = PolicyWith(s => s.MatchConstraints.ResourceRules[0].ResourceNames = [".", "..", "a/b", "50%", "web", "web"]);

        Assert.Equal(
            [
                "spec.matchConstraints.resourceRules[0].resourceNames[0]: Invalid value: \".\": may not be '.'",
                "spec.matchConstraints.resourceRules[0].resourceNames[1]: Invalid value: \"..\": may not be '..'",
                "spec.matchConstraints.resourceRules[0].resourceNames[2]: Invalid value: \"a/b\": may not contain '/'",
                "spec.matchConstraints.resourceRules[0].resourceNames[3]: Invalid value: \"50%\": may not contain '%'",
                "spec.matchConstraints.resourceRules[0].resourceNames[5]: Duplicate value: \"web\"",
            ],
            Errors(policy));
    }

    [Fact]
    public void A_resource_rule_is_checked_as_a_webhook_rule_is()
    {
        Assert.Equal(
            ["spec.matchConstraints.resourceRules[0].operations[0]: Unsupported value: \"PATCH\": supported values: \"*\", \"CONNECT\", \"CREATE\", \"DELETE\", \"UPDATE\""],
            Errors(PolicyWith(s => s.MatchConstraints.ResourceRules[0].Operations = ["PATCH"])));
    }

    [Fact]
    public void A_param_kind_needs_an_api_version_and_a_kind()
    {
        Assert.Equal(
            ["spec.paramKind.apiVersion: Required value", "spec.paramKind.kind: Required value"],
            Errors(PolicyWith(s => s.ParamKind = new V1ParamKind())));
    }

    [Theory]
    [InlineData("a/b/c", "spec.paramKind.apiVersion: Invalid value: \"a/b/c\": unexpected GroupVersion string: a/b/c")]
    [InlineData("example.com/", "spec.paramKind.apiVersion: Invalid value: \"example.com/\": version must be specified")]
    [InlineData("Example_com/v1", "spec.paramKind.apiVersion: Invalid value: \"Example_com\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")]
    [InlineData("1v", "spec.paramKind.apiVersion: Invalid value: \"1v\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")]
    public void A_param_kind_api_version_is_a_group_version(string apiVersion, string error)
    {
        Assert.Equal([error], Errors(PolicyWith(s => s.ParamKind = new V1ParamKind { ApiVersion = apiVersion, Kind = "ConfigMap" })));
    }

    [Fact]
    public void A_param_kind_kind_may_have_mixed_case_but_is_otherwise_a_dns_label()
    {
        Assert.Equal(
            ["spec.paramKind.kind: Invalid value: \"Config_Map\": may have mixed case, but should otherwise match: a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"],
            Errors(PolicyWith(s => s.ParamKind = new V1ParamKind { ApiVersion = "v1", Kind = "Config_Map" })));
    }

    [Fact]
    public void A_policy_needs_validations_or_audit_annotations()
    {
        Assert.Equal(
            [
                "spec.validations: Required value: validations or auditAnnotations must contain at least one item",
                "spec.auditAnnotations: Required value: validations or auditAnnotations must contain at least one item",
            ],
            Errors(PolicyWith(s => s.Validations = null)));
    }

    [Fact]
    public void An_update_that_keeps_the_match_conditions_and_param_kind_does_not_compile_the_conditions_again()
    {
        var old = PolicyWith(s => s.MatchConditions = [new V1MatchCondition { Name = "broken", Expression = "object.metadata.name ==" }]);
        var updated = PolicyWith(s =>
        {
            s.MatchConditions = [new V1MatchCondition { Name = "broken", Expression = "object.metadata.name ==" }];
            s.Validations[0].Expression = "object.spec.replicas <= 3";
        });

        Assert.Empty(UpdateErrors(updated, old));
    }

    [Fact]
    public void An_update_that_changes_the_param_kind_compiles_the_match_conditions_again()
    {
        var old = PolicyWith(s => s.MatchConditions = [new V1MatchCondition { Name = "broken", Expression = "object.metadata.name ==" }]);
        var updated = PolicyWith(s =>
        {
            s.MatchConditions = [new V1MatchCondition { Name = "broken", Expression = "object.metadata.name ==" }];
            s.ParamKind = new V1ParamKind { ApiVersion = "v1", Kind = "ConfigMap" };
        });

        Assert.Single(UpdateErrors(updated, old), e => e.StartsWith("spec.matchConditions[0].expression: Invalid value", StringComparison.Ordinal));
    }

    [Fact]
    public void An_update_is_otherwise_checked_as_a_create()
    {
        Assert.Equal(
            ["spec.failurePolicy: Unsupported value: \"Never\": supported values: \"Fail\", \"Ignore\""],
            UpdateErrors(PolicyWith(s => s.FailurePolicy = "Never"), Policy()));
    }

    [Fact]
    public void A_status_write_answers_for_the_status_alone()
    {
        var policy = PolicyWith(s => s.FailurePolicy = "Never");
        policy.Status = new V1ValidatingAdmissionPolicyStatus
        {
            ObservedGeneration = 1,
            TypeChecking = new V1TypeChecking { ExpressionWarnings = [new V1ExpressionWarning { FieldRef = "spec.validations[0].expression", Warning = "no such field" }] },
            Conditions = [new V1Condition { Type = "TypeChecked", Status = "True", Reason = "Checked", Message = "", LastTransitionTime = DateTime.UnixEpoch }],
        };

        Assert.Empty(StatusErrors(policy, Policy()));
    }

    [Fact]
    public void A_type_checking_warning_needs_a_warning_and_a_field_reference()
    {
        var policy = Policy();
        policy.Status = new V1ValidatingAdmissionPolicyStatus
        {
            TypeChecking = new V1TypeChecking { ExpressionWarnings = [new V1ExpressionWarning { FieldRef = " ", Warning = "" }] },
        };

        Assert.Equal(
            ["status.typeChecking.expressionWarnings[0].warning: Required value", "status.typeChecking.expressionWarnings[0].fieldRef: Required value"],
            StatusErrors(policy, Policy()));
    }

    [Fact]
    public void Status_conditions_are_checked_as_metav1_conditions()
    {
        var policy = Policy();
        policy.Status = new V1ValidatingAdmissionPolicyStatus
        {
            Conditions = [new V1Condition { Type = "TypeChecked", Status = "Maybe", Reason = "Checked", Message = "", LastTransitionTime = DateTime.UnixEpoch }],
        };

        Assert.Equal(
            ["status.conditions[0].status: Unsupported value: \"Maybe\": supported values: \"False\", \"True\", \"Unknown\""],
            StatusErrors(policy, Policy()));
    }
}
