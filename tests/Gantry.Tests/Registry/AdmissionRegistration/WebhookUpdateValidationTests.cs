using k8s.Models;
using Xunit;
using static Gantry.Tests.Registry.AdmissionRegistration.WebhookFixtures;

namespace Gantry.Tests.Registry.AdmissionRegistration;

public sealed class WebhookUpdateValidationTests
{
    private static V1ValidatingWebhook With(Action<V1ValidatingWebhook> change, string name = "pods.policy.example.com")
    {
        var hook = ValidatingHook(name);
        change(hook);
        return hook;
    }

    [Fact]
    public void An_update_of_a_valid_configuration_is_checked_as_a_create()
    {
        Assert.Equal(
            ["webhooks[0].sideEffects: Unsupported value: \"Some\": supported values: \"None\", \"NoneOnDryRun\""],
            UpdateErrors(With(h => h.SideEffects = "Some"), ValidatingHook()));
    }

    [Fact]
    public void Side_effects_stored_by_an_older_version_may_stay()
    {
        var stored = With(h => h.SideEffects = "Unknown");

        Assert.Empty(UpdateErrors(With(h => h.SideEffects = "Some"), stored));
    }

    [Fact]
    public void Side_effects_outside_the_known_classes_are_refused_even_then()
    {
        var stored = With(h => h.SideEffects = "Unknown");

        Assert.Equal(
            ["webhooks[0].sideEffects: Unsupported value: \"Maybe\": supported values: \"None\", \"NoneOnDryRun\", \"Some\", \"Unknown\""],
            UpdateErrors(With(h => h.SideEffects = "Maybe"), stored));
    }

    [Fact]
    public void Review_versions_the_server_does_not_send_may_stay_if_stored()
    {
        var stored = With(h => h.AdmissionReviewVersions = ["v2"]);

        Assert.Empty(UpdateErrors(With(h => h.AdmissionReviewVersions = ["v2"]), stored));
    }

    [Fact]
    public void Review_versions_are_still_required_on_update()
    {
        var stored = With(h => h.AdmissionReviewVersions = ["v2"]);

        Assert.Equal(
            ["webhooks[0].admissionReviewVersions: Required value: must specify one of v1, v1beta1"],
            UpdateErrors(With(h => h.AdmissionReviewVersions = null), stored));
    }

    [Fact]
    public void Duplicate_names_stored_by_an_older_version_may_stay()
    {
        var stored = Configuration(ValidatingHook("a.example.com"), ValidatingHook("a.example.com"));
        var updated = Configuration(ValidatingHook("a.example.com"), ValidatingHook("a.example.com"), ValidatingHook("a.example.com"));

        Assert.Empty(Validating.ValidateUpdate(updated, stored));
    }

    [Fact]
    public void Duplicate_names_are_refused_once_the_stored_names_were_unique()
    {
        var stored = Configuration(ValidatingHook("a.example.com"), ValidatingHook("b.example.com"));
        var updated = Configuration(ValidatingHook("a.example.com"), ValidatingHook("a.example.com"));

        Assert.Equal(["webhooks[1].name: Duplicate value: \"a.example.com\""], Validating.ValidateUpdate(updated, stored).Select(e => e.ToString()));
    }

    [Fact]
    public void Selector_values_that_are_not_label_values_may_stay_if_stored()
    {
        static V1LabelSelector Selector(string value) => new()
        {
            MatchExpressions = [new V1LabelSelectorRequirement { Key = "team", OperatorProperty = "In", Values = [value] }],
        };

        var stored = With(h => h.ObjectSelector = Selector("a b"));

        Assert.Empty(UpdateErrors(With(h => h.NamespaceSelector = Selector("c/d")), stored));
    }

    [Fact]
    public void Other_selector_errors_are_refused_even_then()
    {
        var stored = With(h => h.ObjectSelector = new V1LabelSelector
        {
            MatchExpressions = [new V1LabelSelectorRequirement { Key = "team", OperatorProperty = "In", Values = ["a b"] }],
        });
        var updated = With(h => h.ObjectSelector = new V1LabelSelector
        {
            MatchExpressions = [new V1LabelSelectorRequirement { Key = "team", OperatorProperty = "Near", Values = ["a b"] }],
        });

        Assert.Equal(
            ["webhooks[0].objectSelector.matchExpressions[0].operator: Invalid value: \"Near\": not a valid selector operator"],
            UpdateErrors(updated, stored));
    }

    [Fact]
    public void Match_conditions_are_checked_on_update() =>
        Assert.Single(
            UpdateErrors(With(h => h.MatchConditions = [new V1MatchCondition { Name = "a", Expression = "(" }]), ValidatingHook()),
            e => e.StartsWith("webhooks[0].matchConditions[0].expression: Invalid value", StringComparison.Ordinal));
}
