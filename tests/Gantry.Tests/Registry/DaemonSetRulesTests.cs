using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Registry;

/// <summary>DaemonSet defaults (SetDefaults_DaemonSet), kube's ValidateDaemonSet messages and the template generation.</summary>
public sealed class DaemonSetRulesTests
{
    private readonly IResourceRules _rules = new DaemonSetRules();

    private static V1DaemonSet DaemonSet(string image = "busybox") => new()
    {
        Metadata = new V1ObjectMeta { Name = "agent", NamespaceProperty = "default" },
        Spec = new V1DaemonSetSpec
        {
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "agent" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "agent" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "agent", Image = image }] },
            },
        },
    };

    private V1DaemonSet Defaulted(V1DaemonSet ds)
    {
        _rules.Default(ds);
        return ds;
    }

    private List<string> Errors(V1DaemonSet ds) => [.. _rules.ValidateCreate(Defaulted(ds)).Select(e => e.ToString())];

    [Fact]
    public void Defaults_are_a_rolling_update_of_one_unavailable_and_no_surge_keeping_ten_revisions()
    {
        var spec = Defaulted(DaemonSet()).Spec;

        Assert.Equal(("RollingUpdate", "1", "0", 10), (spec.UpdateStrategy.Type, spec.UpdateStrategy.RollingUpdate.MaxUnavailable.Value,
            spec.UpdateStrategy.RollingUpdate.MaxSurge.Value, spec.RevisionHistoryLimit));
        Assert.Equal("Always", spec.Template.Spec.RestartPolicy);
    }

    [Fact]
    public void OnDelete_gets_no_rolling_update_parameters() =>
        Assert.Null(Defaulted(WithStrategy(DaemonSet(), new V1DaemonSetUpdateStrategy { Type = "OnDelete" })).Spec.UpdateStrategy.RollingUpdate);

    [Fact]
    public void A_new_daemonset_starts_at_template_generation_one() =>
        Assert.Equal(1, DaemonSetRules.TemplateGeneration(Defaulted(DaemonSet())));

    [Fact]
    public void A_valid_daemonset_passes() => Assert.Empty(Errors(DaemonSet()));

    [Fact]
    public void Template_labels_the_selector_does_not_match_are_refused()
    {
        var ds = DaemonSet();
        ds.Spec.Template.Metadata.Labels["app"] = "other";

        Assert.Equal(["spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`"], Errors(ds));
    }

    [Fact]
    public void An_empty_selector_is_invalid_for_a_daemonset()
    {
        var ds = DaemonSet();
        ds.Spec.Selector = new V1LabelSelector();

        Assert.Contains(Errors(ds), e => e.StartsWith("spec.selector: Invalid value: ", StringComparison.Ordinal)
            && e.EndsWith(": empty selector is invalid for daemonset", StringComparison.Ordinal));
    }

    [Fact]
    public void A_restart_policy_other_than_always_is_not_supported()
    {
        var ds = DaemonSet();
        ds.Spec.Template.Spec.RestartPolicy = "OnFailure";

        Assert.Equal(["spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\""], Errors(ds));
    }

    [Fact]
    public void Negative_min_ready_seconds_are_refused()
    {
        var ds = DaemonSet();
        ds.Spec.MinReadySeconds = -1;

        Assert.Equal(["spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0"], Errors(ds));
    }

    [Fact]
    public void Max_surge_may_not_be_set_with_a_non_zero_max_unavailable()
    {
        var ds = WithStrategy(DaemonSet(), new V1DaemonSetUpdateStrategy
        {
            Type = "RollingUpdate",
            RollingUpdate = new V1RollingUpdateDaemonSet { MaxUnavailable = 1, MaxSurge = "10%" },
        });

        var error = Assert.Single(Errors(ds));
        Assert.StartsWith("spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: ", error, StringComparison.Ordinal);
        Assert.EndsWith(": may not be set when maxUnavailable is non-zero", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Max_unavailable_may_not_be_zero_when_max_surge_is_zero()
    {
        var ds = WithStrategy(DaemonSet(), new V1DaemonSetUpdateStrategy
        {
            Type = "RollingUpdate",
            RollingUpdate = new V1RollingUpdateDaemonSet { MaxUnavailable = 0, MaxSurge = 0 },
        });

        Assert.Equal(["spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"], Errors(ds));
    }

    [Fact]
    public void An_unknown_strategy_type_is_not_supported()
    {
        var ds = WithStrategy(DaemonSet(), new V1DaemonSetUpdateStrategy { Type = "Recreate" });

        Assert.Equal(
            ["spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{...}: supported values: \"RollingUpdate\", \"OnDelete\""], Errors(ds));
    }

    [Fact]
    public void The_selector_is_immutable()
    {
        var old = Defaulted(DaemonSet());
        var updated = Defaulted(DaemonSet());
        updated.Spec.Selector.MatchLabels["tier"] = "node";
        updated.Spec.Template.Metadata.Labels["tier"] = "node";

        var error = Assert.Single(_rules.ValidateUpdate(updated, old));
        Assert.Equal("spec.selector", error.Field);
    }

    [Fact]
    public void A_changed_template_is_the_next_template_generation()
    {
        var old = Defaulted(DaemonSet());
        var updated = Defaulted(DaemonSet("busybox:1.36"));

        _rules.PrepareForUpdate(updated, old);

        Assert.Equal(2, DaemonSetRules.TemplateGeneration(updated));
    }

    [Fact]
    public void An_unchanged_template_keeps_its_generation_even_without_its_defaults()
    {
        var old = Defaulted(DaemonSet());
        var updated = DaemonSet();

        _rules.PrepareForUpdate(updated, old);

        Assert.Equal(1, DaemonSetRules.TemplateGeneration(updated));
    }

    private static V1DaemonSet WithStrategy(V1DaemonSet ds, V1DaemonSetUpdateStrategy strategy)
    {
        ds.Spec.UpdateStrategy = strategy;
        return ds;
    }
}
