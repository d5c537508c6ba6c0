using k8s.Models;
using Xunit;
using static Gantry.Tests.Registry.AdmissionRegistration.WebhookFixtures;

namespace Gantry.Tests.Registry.AdmissionRegistration;

public sealed class WebhookFieldValidationTests
{
    private static IEnumerable<string> ErrorsWith(Action<V1ValidatingWebhook> change)
    {
        var hook = ValidatingHook();
        change(hook);
        return Errors(hook);
    }

    [Fact]
    public void A_webhook_name_is_required()
    {
        Assert.Equal(["webhooks[0].name: Required value"], ErrorsWith(h => h.Name = null));
    }

    [Fact]
    public void A_webhook_name_is_a_dns_subdomain()
    {
        Assert.Single(ErrorsWith(h => h.Name = "Pods.Example.com"), e => e.StartsWith(
            "webhooks[0].name: Invalid value: \"Pods.Example.com\": a lowercase RFC 1123 subdomain must consist of", StringComparison.Ordinal));
    }

    [Fact]
    public void A_webhook_name_has_at_least_three_segments()
    {
        Assert.Equal(
            ["webhooks[0].name: Invalid value: \"example.com\": should be a domain with at least three segments separated by dots"],
            ErrorsWith(h => h.Name = "example.com"));
    }

    [Fact]
    public void Webhook_names_are_unique_within_a_configuration()
    {
        Assert.Equal(
            ["webhooks[2].name: Duplicate value: \"a.example.com\""],
            Errors(Configuration(ValidatingHook("a.example.com"), ValidatingHook("b.example.com"), ValidatingHook("a.example.com"))));
    }

    [Fact]
    public void The_failure_policy_is_fail_or_ignore()
    {
        Assert.Equal(
            ["webhooks[0].failurePolicy: Unsupported value: \"Crash\": supported values: \"Fail\", \"Ignore\""],
            ErrorsWith(h => h.FailurePolicy = "Crash"));
    }

    [Fact]
    public void The_match_policy_is_exact_or_equivalent()
    {
        Assert.Equal(
            ["webhooks[0].matchPolicy: Unsupported value: \"Loose\": supported values: \"Equivalent\", \"Exact\""],
            ErrorsWith(h => h.MatchPolicy = "Loose"));
    }

    [Fact]
    public void Side_effects_are_required()
    {
        Assert.Equal(["webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun"], ErrorsWith(h => h.SideEffects = null));
    }

    [Theory]
    [InlineData("Some")]
    [InlineData("Unknown")]
    [InlineData("none")]
    public void Side_effects_are_none_or_none_on_dry_run(string sideEffects)
    {
        Assert.Equal(
            [$"webhooks[0].sideEffects: Unsupported value: \"{sideEffects}\": supported values: \"None\", \"NoneOnDryRun\""],
            ErrorsWith(h => h.SideEffects = sideEffects));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(-5)]
    public void The_timeout_is_between_one_and_thirty_seconds(int timeout)
    {
        Assert.Equal(
            [$"webhooks[0].timeoutSeconds: Invalid value: {timeout}: the timeout value must be between 1 and 30 seconds"],
            ErrorsWith(h => h.TimeoutSeconds = timeout));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(30)]
    public void A_timeout_at_either_bound_is_valid(int timeout)
    {
        Assert.Empty(ErrorsWith(h => h.TimeoutSeconds = timeout));
    }

    [Fact]
    public void Admission_review_versions_are_required()
    {
        Assert.Equal(
            ["webhooks[0].admissionReviewVersions: Required value: must specify one of v1, v1beta1"],
            ErrorsWith(h => h.AdmissionReviewVersions = []));
    }

    [Fact]
    public void Admission_review_versions_include_one_the_server_sends()
    {
        Assert.Equal(
            ["webhooks[0].admissionReviewVersions: Invalid value: []string{\"v2\", \"v3\"}: must include at least one of v1, v1beta1"],
            ErrorsWith(h => h.AdmissionReviewVersions = ["v2", "v3"]));
    }

    [Fact]
    public void Admission_review_versions_may_list_unknown_versions_beside_a_known_one()
    {
        Assert.Empty(ErrorsWith(h => h.AdmissionReviewVersions = ["v2", "v1beta1"]));
    }

    [Fact]
    public void Admission_review_versions_are_not_repeated()
    {
        Assert.Equal(
            ["webhooks[0].admissionReviewVersions[2]: Invalid value: \"v1\": duplicate version"],
            ErrorsWith(h => h.AdmissionReviewVersions = ["v1", "v1beta1", "v1"]));
    }

    [Fact]
    public void Admission_review_versions_are_dns_labels()
    {
        Assert.Single(ErrorsWith(h => h.AdmissionReviewVersions = ["v1", "V_2"]), e => e.StartsWith(
            "webhooks[0].admissionReviewVersions[1]: Invalid value: \"V_2\": a DNS-1035 label must consist of", StringComparison.Ordinal));
    }

    [Fact]
    public void The_namespace_selector_is_a_valid_label_selector()
    {
        var errors = ErrorsWith(h => h.NamespaceSelector = new V1LabelSelector
        {
            MatchExpressions = [new V1LabelSelectorRequirement { Key = "team", OperatorProperty = "In" }],
        });

        Assert.Equal(["webhooks[0].namespaceSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"], errors);
    }

    [Fact]
    public void The_object_selector_values_are_label_values()
    {
        var errors = ErrorsWith(h => h.ObjectSelector = new V1LabelSelector
        {
            MatchExpressions = [new V1LabelSelectorRequirement { Key = "team", OperatorProperty = "In", Values = ["a b"] }],
        });

        Assert.Single(errors, e => e.StartsWith("webhooks[0].objectSelector.matchExpressions[0].values[0]: Invalid value: \"a b\": a valid label must be", StringComparison.Ordinal));
    }

    [Fact]
    public void Match_conditions_that_compile_are_valid() =>
        Assert.Empty(ErrorsWith(h => h.MatchConditions = [new V1MatchCondition { Name = "exclude-leases", Expression = "request.resource.resource != 'leases'" }]));

    [Fact]
    public void A_match_condition_needs_a_qualified_unique_name_and_an_expression() =>
        Assert.Equal(
            ["webhooks[0].matchConditions[0].expression: Required value",
             "webhooks[0].matchConditions[0].name: Required value",
             "webhooks[0].matchConditions[2].name: Invalid value: \"a b\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
             "webhooks[0].matchConditions[3].name: Duplicate value: \"ok\""],
            ErrorsWith(h => h.MatchConditions =
            [
                new V1MatchCondition { Name = "", Expression = " " },
                new V1MatchCondition { Name = "ok", Expression = "true" },
                new V1MatchCondition { Name = "a b", Expression = "true" },
                new V1MatchCondition { Name = "ok", Expression = "true" },
            ]));

    [Fact]
    public void A_match_condition_that_does_not_compile_is_invalid() =>
        Assert.Single(
            ErrorsWith(h => h.MatchConditions = [new V1MatchCondition { Name = "broken", Expression = "object.metadata.name ==" }]),
            e => e.StartsWith("webhooks[0].matchConditions[0].expression: Invalid value: \"object.metadata.name ==\": compilation failed: ", StringComparison.Ordinal));

    [Fact]
    public void A_match_condition_gantry_cannot_evaluate_is_forbidden() =>
        Assert.Single(
            ErrorsWith(h => h.MatchConditions = [new V1MatchCondition { Name = "authz", Expression = "authorizer.group('').resource('pods').check('get').allowed()" }]),
            e => e.StartsWith("webhooks[0].matchConditions[0].expression: Forbidden: Gantry's CEL engine ", StringComparison.Ordinal));

    [Fact]
    public void An_empty_list_of_match_conditions_is_valid()
    {
        Assert.Empty(ErrorsWith(h => h.MatchConditions = []));
    }
}
