using k8s.Models;
using Xunit;
using static Gantry.Tests.Registry.AdmissionRegistration.WebhookFixtures;

namespace Gantry.Tests.Registry.AdmissionRegistration;

public sealed class ValidatingWebhookConfigurationRulesTests
{
    [Fact]
    public void A_webhook_on_a_service_with_rules_side_effects_and_a_review_version_is_valid()
    {
        Assert.Empty(Errors(ValidatingHook()));
    }

    [Fact]
    public void A_configuration_without_webhooks_is_valid()
    {
        Assert.Empty(Errors(Configuration(Array.Empty<V1ValidatingWebhook>())));
    }

    [Fact]
    public void Defaulting_fills_in_the_policies_selectors_and_timeout_as_kube_v1_does()
    {
        var hook = ValidatingHook();
        hook.ClientConfig.Service.Port = null;

        Validating.Default(Configuration(hook));

        Assert.Equal("Fail", hook.FailurePolicy);
        Assert.Equal("Equivalent", hook.MatchPolicy);
        Assert.NotNull(hook.NamespaceSelector);
        Assert.Null(hook.NamespaceSelector.MatchLabels);
        Assert.Null(hook.NamespaceSelector.MatchExpressions);
        Assert.NotNull(hook.ObjectSelector);
        Assert.Equal(10, hook.TimeoutSeconds);
        Assert.Equal("*", hook.Rules[0].Scope);
        Assert.Equal(443, hook.ClientConfig.Service.Port);
    }

    [Fact]
    public void Defaulting_leaves_side_effects_and_review_versions_for_the_client_to_choose()
    {
        var hook = ValidatingHook();
        hook.SideEffects = null;
        hook.AdmissionReviewVersions = null;

        Validating.Default(Configuration(hook));

        Assert.Null(hook.SideEffects);
        Assert.Null(hook.AdmissionReviewVersions);
    }

    [Fact]
    public void Defaulting_keeps_what_the_client_set()
    {
        var hook = ValidatingHook();
        hook.FailurePolicy = "Ignore";
        hook.MatchPolicy = "Exact";
        hook.TimeoutSeconds = 3;
        hook.Rules[0].Scope = "Namespaced";
        hook.ClientConfig.Service.Port = 8443;

        Validating.Default(Configuration(hook));

        Assert.Equal(("Ignore", "Exact", 3, "Namespaced", 8443), (hook.FailurePolicy, hook.MatchPolicy, hook.TimeoutSeconds, hook.Rules[0].Scope, hook.ClientConfig.Service.Port));
    }

    [Fact]
    public void Errors_are_reported_per_webhook_in_kube_order()
    {
        var hook = ValidatingHook("x");
        hook.SideEffects = "Some";
        hook.AdmissionReviewVersions = ["v1", "v1"];

        Assert.Equal(
            [
                "webhooks[0].name: Invalid value: \"x\": should be a domain with at least three segments separated by dots",
                "webhooks[0].sideEffects: Unsupported value: \"Some\": supported values: \"None\", \"NoneOnDryRun\"",
                "webhooks[0].admissionReviewVersions[1]: Invalid value: \"v1\": duplicate version",
            ],
            Errors(hook));
    }
}
