using Xunit;
using static Gantry.Tests.Registry.AdmissionRegistration.WebhookFixtures;

namespace Gantry.Tests.Registry.AdmissionRegistration;

public sealed class MutatingWebhookConfigurationRulesTests
{
    [Fact]
    public void A_webhook_on_an_https_url_is_valid()
    {
        Assert.Empty(Errors(Configuration(MutatingHook())));
    }

    [Fact]
    public void Defaulting_fills_in_what_validating_webhooks_get_and_never_reinvokes()
    {
        var hook = MutatingHook();

        Mutating.Default(Configuration(hook));

        Assert.Equal(("Fail", "Equivalent", 10, "Never", "*"), (hook.FailurePolicy, hook.MatchPolicy, hook.TimeoutSeconds, hook.ReinvocationPolicy, hook.Rules[0].Scope));
        Assert.NotNull(hook.NamespaceSelector);
        Assert.NotNull(hook.ObjectSelector);
    }

    [Fact]
    public void The_reinvocation_policy_is_never_or_if_needed()
    {
        var hook = MutatingHook();
        hook.ReinvocationPolicy = "Always";

        Assert.Equal(["webhooks[0].reinvocationPolicy: Unsupported value: \"Always\": supported values: \"IfNeeded\", \"Never\""], Errors(Configuration(hook)));
        hook.ReinvocationPolicy = "IfNeeded";
        Assert.Empty(Errors(Configuration(hook)));
    }

    [Fact]
    public void Mutating_webhooks_are_checked_as_validating_ones_are()
    {
        var hook = MutatingHook("defaults.local");
        hook.SideEffects = null;
        hook.ClientConfig.Url = "http://defaults.example.com/mutate";

        Assert.Equal(
            [
                "webhooks[0].name: Invalid value: \"defaults.local\": should be a domain with at least three segments separated by dots",
                "webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun",
                "webhooks[0].clientConfig.url: Invalid value: \"http\": 'https' is the only allowed URL scheme; desired format: https://host[/path]",
            ],
            Errors(Configuration(hook)));
    }

    [Fact]
    public void Webhook_names_are_unique_within_a_mutating_configuration()
    {
        Assert.Equal(
            ["webhooks[1].name: Duplicate value: \"pods.defaults.example.com\""],
            Errors(Configuration(MutatingHook(), MutatingHook())));
    }

    [Fact]
    public void Match_conditions_are_accepted_on_mutating_webhooks_too()
    {
        var hook = MutatingHook();
        hook.MatchConditions = [new k8s.Models.V1MatchCondition { Name = "not-kube-system", Expression = "true" }];

        Assert.Empty(Errors(Configuration(hook)));
    }
}
