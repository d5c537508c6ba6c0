using Gantry.Server.Registry.Quota;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Registry.Quota.QuotaObjects;

namespace Gantry.Tests.Registry.Quota;

/// <summary>Which pods a scoped quota charges: every scope and every requirement of its selector must match.</summary>
public sealed class QuotaScopesTests
{
    private static V1ResourceQuotaSpec Scopes(params string[] scopes) => new() { Scopes = scopes };

    private static V1ResourceQuotaSpec Selector(string scope, string op, params string[] values) => new()
    {
        ScopeSelector = new V1ScopeSelector
        {
            MatchExpressions = [new V1ScopedResourceSelectorRequirement { ScopeName = scope, OperatorProperty = op, Values = values.Length > 0 ? values : null }],
        },
    };

    private static V1Pod Deadlined(long seconds)
    {
        var pod = Pod("p");
        pod.Spec.ActiveDeadlineSeconds = seconds;
        return pod;
    }

    private static V1Pod WithClass(string? priorityClass)
    {
        var pod = Pod("p");
        pod.Spec.PriorityClassName = priorityClass;
        return pod;
    }

    private static V1Pod Burstable() => Pod("p", Container("a", requests: "cpu=100m"));

    [Fact]
    public void A_quota_with_no_scopes_and_no_selector_is_not_scoped_and_matches_every_pod()
    {
        Assert.False(QuotaScopes.IsScoped(new V1ResourceQuotaSpec()));
        Assert.False(QuotaScopes.IsScoped(null));
        Assert.True(QuotaScopes.Matches(new V1ResourceQuotaSpec(), Pod("p")));
    }

    [Fact]
    public void A_scope_or_a_selector_makes_a_quota_scoped()
    {
        Assert.True(QuotaScopes.IsScoped(Scopes(QuotaScopes.BestEffort)));
        Assert.True(QuotaScopes.IsScoped(Selector(QuotaScopes.PriorityClass, "Exists")));
    }

    [Fact]
    public void Terminating_matches_the_pods_with_an_active_deadline()
    {
        Assert.True(QuotaScopes.Matches(Scopes(QuotaScopes.Terminating), Deadlined(60)));
        Assert.False(QuotaScopes.Matches(Scopes(QuotaScopes.Terminating), Pod("p")));
    }

    [Fact]
    public void NotTerminating_matches_the_pods_without_an_active_deadline()
    {
        Assert.True(QuotaScopes.Matches(Scopes(QuotaScopes.NotTerminating), Pod("p")));
        Assert.False(QuotaScopes.Matches(Scopes(QuotaScopes.NotTerminating), Deadlined(60)));
    }

    [Fact]
    public void BestEffort_matches_the_pods_that_ask_for_no_cpu_or_memory_and_NotBestEffort_the_others()
    {
        Assert.True(QuotaScopes.Matches(Scopes(QuotaScopes.BestEffort), Pod("p")));
        Assert.False(QuotaScopes.Matches(Scopes(QuotaScopes.BestEffort), Burstable()));
        Assert.True(QuotaScopes.Matches(Scopes(QuotaScopes.NotBestEffort), Burstable()));
        Assert.False(QuotaScopes.Matches(Scopes(QuotaScopes.NotBestEffort), Pod("p")));
    }

    [Fact]
    public void Every_scope_must_match()
    {
        var spec = Scopes(QuotaScopes.NotTerminating, QuotaScopes.NotBestEffort);

        Assert.True(QuotaScopes.Matches(spec, Burstable()));
        Assert.False(QuotaScopes.Matches(spec, Pod("p")));
    }

    [Fact]
    public void The_scopes_and_the_selector_must_both_match()
    {
        var spec = Selector(QuotaScopes.PriorityClass, "In", "high");
        spec.Scopes = [QuotaScopes.NotBestEffort];
        var high = WithClass("high");
        var burstableHigh = Pod("p", Container("a", requests: "cpu=100m"));
        burstableHigh.Spec.PriorityClassName = "high";

        Assert.False(QuotaScopes.Matches(spec, high));
        Assert.True(QuotaScopes.Matches(spec, burstableHigh));
    }

    [Theory]
    [InlineData("In", "high", true)]
    [InlineData("In", "low", false)]
    [InlineData("In", null, false)]
    [InlineData("NotIn", "high", false)]
    [InlineData("NotIn", "low", true)]
    [InlineData("NotIn", null, true)]
    [InlineData("Exists", "high", true)]
    [InlineData("Exists", null, false)]
    [InlineData("DoesNotExist", "high", false)]
    [InlineData("DoesNotExist", null, true)]
    public void PriorityClass_reads_the_pods_class_as_a_label_selector_reads_a_label(string op, string? priorityClass, bool matches)
    {
        var spec = op is "In" or "NotIn" ? Selector(QuotaScopes.PriorityClass, op, "high", "critical") : Selector(QuotaScopes.PriorityClass, op);

        Assert.Equal(matches, QuotaScopes.Matches(spec, WithClass(priorityClass)));
    }

    [Fact]
    public void An_empty_priority_class_name_is_no_class()
    {
        Assert.True(QuotaScopes.Matches(Selector(QuotaScopes.PriorityClass, "DoesNotExist"), WithClass("")));
    }

    [Fact]
    public void A_scope_selector_on_BestEffort_reads_as_the_scope()
    {
        Assert.True(QuotaScopes.Matches(Selector(QuotaScopes.BestEffort, "Exists"), Pod("p")));
        Assert.False(QuotaScopes.Matches(Selector(QuotaScopes.BestEffort, "Exists"), Burstable()));
    }

    [Fact]
    public void CrossNamespacePodAffinity_matches_a_pod_affinity_term_that_names_namespaces()
    {
        var pod = Pod("p");
        pod.Spec.Affinity = new V1Affinity
        {
            PodAffinity = new V1PodAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = [new V1PodAffinityTerm { TopologyKey = "kubernetes.io/hostname", Namespaces = ["other"] }],
            },
        };

        Assert.True(QuotaScopes.Matches(Scopes(QuotaScopes.CrossNamespacePodAffinity), pod));
    }

    [Fact]
    public void CrossNamespacePodAffinity_matches_a_preferred_anti_affinity_term_with_a_namespace_selector()
    {
        var pod = Pod("p");
        pod.Spec.Affinity = new V1Affinity
        {
            PodAntiAffinity = new V1PodAntiAffinity
            {
                PreferredDuringSchedulingIgnoredDuringExecution =
                [
                    new V1WeightedPodAffinityTerm
                    {
                        Weight = 1,
                        PodAffinityTerm = new V1PodAffinityTerm { TopologyKey = "kubernetes.io/hostname", NamespaceSelector = new V1LabelSelector() },
                    },
                ],
            },
        };

        Assert.True(QuotaScopes.Matches(Scopes(QuotaScopes.CrossNamespacePodAffinity), pod));
    }

    [Fact]
    public void CrossNamespacePodAffinity_does_not_match_affinity_within_the_pods_own_namespace_or_no_affinity()
    {
        var pod = Pod("p");
        pod.Spec.Affinity = new V1Affinity
        {
            PodAffinity = new V1PodAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = [new V1PodAffinityTerm { TopologyKey = "kubernetes.io/hostname" }],
            },
        };

        Assert.False(QuotaScopes.Matches(Scopes(QuotaScopes.CrossNamespacePodAffinity), pod));
        Assert.False(QuotaScopes.Matches(Scopes(QuotaScopes.CrossNamespacePodAffinity), Pod("p")));
    }
}
