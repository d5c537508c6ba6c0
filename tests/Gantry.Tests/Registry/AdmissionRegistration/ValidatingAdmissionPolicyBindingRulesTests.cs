using k8s.Models;
using Xunit;
using static Gantry.Tests.Registry.AdmissionRegistration.PolicyFixtures;

namespace Gantry.Tests.Registry.AdmissionRegistration;

public sealed class ValidatingAdmissionPolicyBindingRulesTests
{
    [Fact]
    public void A_binding_to_a_policy_with_a_named_parameter_and_deny_is_valid()
    {
        Assert.Empty(Errors(Binding()));
    }

    [Fact]
    public void A_binding_with_parameters_picked_by_a_selector_is_valid()
    {
        Assert.Empty(Errors(BindingWith(s => s.ParamRef = new V1ParamRef
        {
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["tier"] = "prod" } },
            ParameterNotFoundAction = "Allow",
        })));
    }

    [Fact]
    public void A_binding_without_parameters_or_match_resources_is_valid_and_gets_none_by_default()
    {
        var binding = BindingWith(s => s.ParamRef = null);

        Assert.Empty(Errors(binding));
        Assert.Null(binding.Spec.MatchResources);
    }

    [Fact]
    public void Defaulting_fills_in_the_match_resources_as_a_policys_but_not_the_parameter_not_found_action()
    {
        var binding = BindingWith(s =>
        {
            s.ParamRef.ParameterNotFoundAction = null;
            s.MatchResources = new V1MatchResources
            {
                ExcludeResourceRules = [new V1NamedRuleWithOperations { Operations = ["*"], ApiGroups = [""], ApiVersions = ["v1"], Resources = ["pods"] }],
            };
        });

        Bindings.Default(binding);

        var match = binding.Spec.MatchResources;
        Assert.Equal("Equivalent", match.MatchPolicy);
        Assert.NotNull(match.NamespaceSelector);
        Assert.NotNull(match.ObjectSelector);
        Assert.Equal("*", match.ExcludeResourceRules[0].Scope);
        Assert.Null(binding.Spec.ParamRef.ParameterNotFoundAction);
    }

    [Fact]
    public void Match_resources_need_no_resource_rules_in_a_binding()
    {
        Assert.Empty(Errors(BindingWith(s => s.MatchResources = new V1MatchResources
        {
            NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["env"] = "prod" } },
        })));
    }

    [Fact]
    public void Match_resources_are_checked_as_a_policys_are()
    {
        Assert.Equal(
            ["spec.matchResources.resourceRules[0].resourceNames[0]: Invalid value: \"..\": may not be '..'"],
            Errors(BindingWith(s => s.MatchResources = new V1MatchResources
            {
                ResourceRules = [new V1NamedRuleWithOperations { Operations = ["CREATE"], ApiGroups = [""], ApiVersions = ["v1"], Resources = ["pods"], ResourceNames = [".."] }],
            })));
    }

    [Fact]
    public void A_binding_names_its_policy()
    {
        Assert.Equal(["spec.policyName: Required value"], Errors(BindingWith(s => s.PolicyName = "")));
    }

    [Fact]
    public void The_policy_name_is_a_dns_subdomain()
    {
        Assert.Equal(
            ["spec.policyName: Invalid value: \"Replica_Limit\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"],
            Errors(BindingWith(s => s.PolicyName = "Replica_Limit")));
    }

    [Fact]
    public void A_parameter_is_named_or_selected_but_not_both()
    {
        Assert.Equal(
            [
                "spec.paramRef.name: Forbidden: name and selector are mutually exclusive",
                "spec.paramRef.selector: Forbidden: name and selector are mutually exclusive",
            ],
            Errors(BindingWith(s => s.ParamRef.Selector = new V1LabelSelector())));
    }

    [Fact]
    public void A_parameter_reference_names_or_selects_something()
    {
        Assert.Equal(
            ["spec.paramRef: Required value: one of name or selector must be specified"],
            Errors(BindingWith(s => s.ParamRef.Name = null)));
    }

    [Fact]
    public void A_parameter_name_is_a_path_segment()
    {
        Assert.Equal(["spec.paramRef.name: Invalid value: \"a/b\": may not contain '/'"], Errors(BindingWith(s => s.ParamRef.Name = "a/b")));
    }

    [Fact]
    public void A_parameter_selector_is_checked_strictly()
    {
        Assert.Equal(
            ["spec.paramRef.selector.matchLabels: Invalid value: \"not valid\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"],
            Errors(BindingWith(s =>
            {
                s.ParamRef.Name = null;
                s.ParamRef.Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["tier"] = "not valid" } };
            })));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_parameter_reference_says_what_to_do_when_none_is_found(string? action)
    {
        Assert.Equal(["spec.paramRef.parameterNotFoundAction: Required value"], Errors(BindingWith(s => s.ParamRef.ParameterNotFoundAction = action)));
    }

    [Fact]
    public void A_parameter_not_found_action_is_deny_or_allow()
    {
        Assert.Equal(
            ["spec.paramRef.parameterNotFoundAction: Unsupported value: \"Ignore\": supported values: \"Deny\", \"Allow\""],
            Errors(BindingWith(s => s.ParamRef.ParameterNotFoundAction = "Ignore")));
    }

    [Fact]
    public void A_binding_needs_a_validation_action()
    {
        Assert.Equal(["spec.validationActions: Required value: at least one validation action is required"], Errors(BindingWith(s => s.ValidationActions = null)));
    }

    [Fact]
    public void Validation_actions_are_audit_deny_or_warn_each_at_most_once()
    {
        Assert.Equal(
            [
                "spec.validationActions[0]: Unsupported value: \"Log\": supported values: \"Audit\", \"Deny\", \"Warn\"",
                "spec.validationActions[2]: Duplicate value: \"Audit\"",
            ],
            Errors(BindingWith(s => s.ValidationActions = ["Log", "Audit", "Audit"])));
    }

    [Fact]
    public void Deny_and_warn_together_are_refused()
    {
        Assert.Equal(
            ["spec.validationActions: Invalid value: []admissionregistration.ValidationAction{\"Deny\", \"Warn\"}: must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)"],
            Errors(BindingWith(s => s.ValidationActions = ["Deny", "Warn"])));
    }

    [Fact]
    public void An_update_is_checked_as_a_create()
    {
        var binding = BindingWith(s => s.ValidationActions = []);
        Bindings.Default(binding);

        Assert.Equal(
            ["spec.validationActions: Required value: at least one validation action is required"],
            Bindings.ValidateUpdate(binding, Binding()).Select(e => e.ToString()));
    }
}
