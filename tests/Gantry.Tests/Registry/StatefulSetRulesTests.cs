using Gantry.Core.Resources;
using Gantry.Core.Validation;
using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using k8s;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Registry;

/// <summary>StatefulSet defaults (SetDefaults_StatefulSet) and kube 1.32's ValidateStatefulSet, Update and Status messages.</summary>
public sealed class StatefulSetRulesTests
{
    private readonly IResourceRules _rules = new StatefulSetRules();

    private static V1StatefulSet StatefulSet() => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
        Spec = new V1StatefulSetSpec
        {
            ServiceName = "web",
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox" }] },
            },
        },
    };

    private V1StatefulSet Defaulted(V1StatefulSet set)
    {
        _rules.Default(set);
        return set;
    }

    private List<string> Errors(V1StatefulSet set) => [.. _rules.ValidateCreate(Defaulted(set)).Select(e => e.ToString())];

    private List<string> UpdateErrors(Action<V1StatefulSet> change)
    {
        var old = Defaulted(StatefulSet());
        var updated = KubernetesJson.Deserialize<V1StatefulSet>(KubernetesJson.Serialize(old));
        change(updated);
        return [.. _rules.ValidateUpdate(Defaulted(updated), old).Select(e => e.ToString())];
    }

    [Fact]
    public void Defaults_are_one_ordered_replica_rolling_from_partition_zero_keeping_ten_revisions_and_the_claims()
    {
        var spec = Defaulted(StatefulSet()).Spec;

        Assert.Equal((1, "OrderedReady", "RollingUpdate", 0, 10), (spec.Replicas, spec.PodManagementPolicy, spec.UpdateStrategy.Type,
            spec.UpdateStrategy.RollingUpdate.Partition, spec.RevisionHistoryLimit));
        Assert.Equal(("Retain", "Retain"), (spec.PersistentVolumeClaimRetentionPolicy.WhenDeleted, spec.PersistentVolumeClaimRetentionPolicy.WhenScaled));
    }

    [Fact]
    public void MaxUnavailable_is_dropped_as_its_feature_gate_is_off_in_1_32()
    {
        var set = StatefulSet();
        set.Spec.UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateStatefulSetStrategy { MaxUnavailable = 2 } };

        Assert.Null(Defaulted(set).Spec.UpdateStrategy.RollingUpdate.MaxUnavailable);
    }

    [Fact]
    public void A_claim_template_is_defaulted_to_a_pending_filesystem_claim()
    {
        var set = StatefulSet();
        set.Spec.VolumeClaimTemplates = [new V1PersistentVolumeClaim { Metadata = new V1ObjectMeta { Name = "data" }, Spec = new V1PersistentVolumeClaimSpec() }];

        var claim = Assert.Single(Defaulted(set).Spec.VolumeClaimTemplates);

        Assert.Equal(("Filesystem", "Pending"), (claim.Spec.VolumeMode, claim.Status.Phase));
        Assert.Empty(Errors(set));
    }

    [Fact]
    public void A_valid_statefulset_passes() => Assert.Empty(Errors(StatefulSet()));

    [Fact]
    public void An_unknown_pod_management_policy_is_refused()
    {
        var set = StatefulSet();
        set.Spec.PodManagementPolicy = "Burst";

        Assert.Equal(["spec.podManagementPolicy: Invalid value: \"Burst\": must be 'OrderedReady' or 'Parallel'"], Errors(set));
    }

    [Fact]
    public void An_unknown_update_strategy_is_refused()
    {
        var set = StatefulSet();
        set.Spec.UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "Recreate" };

        Assert.Equal(["spec.updateStrategy: Invalid value: apps.StatefulSetUpdateStrategy{Type:\"Recreate\", RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}: must be 'RollingUpdate' or 'OnDelete'"],
            Errors(set));
    }

    [Fact]
    public void OnDelete_with_rolling_update_parameters_is_refused()
    {
        var set = StatefulSet();
        set.Spec.UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "OnDelete", RollingUpdate = new V1RollingUpdateStatefulSetStrategy { Partition = 1 } };

        Assert.Equal(["spec.updateStrategy.rollingUpdate: Invalid value: apps.RollingUpdateStatefulSetStrategy{Partition:1, MaxUnavailable:(*intstr.IntOrString)(nil)}: only allowed for updateStrategy 'RollingUpdate'"],
            Errors(set));
    }

    [Fact]
    public void A_negative_partition_is_refused()
    {
        var set = StatefulSet();
        set.Spec.UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateStatefulSetStrategy { Partition = -1 } };

        Assert.Equal(["spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0"], Errors(set));
    }

    [Fact]
    public void A_negative_start_ordinal_is_refused()
    {
        var set = StatefulSet();
        set.Spec.Ordinals = new V1StatefulSetOrdinals { Start = -1 };

        Assert.Equal(["spec.ordinals.start: Invalid value: -1: must be greater than or equal to 0"], Errors(set));
    }

    [Fact]
    public void Template_labels_the_selector_does_not_match_are_refused()
    {
        var set = StatefulSet();
        set.Spec.Template.Metadata.Labels["app"] = "other";

        Assert.Equal(["spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`"], Errors(set));
    }

    [Fact]
    public void An_empty_selector_is_refused_in_statefulset_words()
    {
        var set = StatefulSet();
        set.Spec.Selector = new V1LabelSelector();

        Assert.Contains("spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for statefulset",
            Errors(set));
    }

    [Fact]
    public void A_missing_selector_is_required()
    {
        var set = StatefulSet();
        set.Spec.Selector = null;

        Assert.Contains("spec.selector: Required value", Errors(set));
    }

    [Fact]
    public void A_restart_policy_other_than_always_is_not_supported()
    {
        var set = StatefulSet();
        set.Spec.Template.Spec.RestartPolicy = "Never";

        Assert.Equal(["spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""], Errors(set));
    }

    [Fact]
    public void The_pod_template_beyond_labels_and_annotations_is_left_unchecked_as_kube_does()
    {
        var set = StatefulSet();
        set.Spec.Template.Spec.Containers = [];

        Assert.Empty(Errors(set));
    }

    [Fact]
    public void A_name_must_be_a_dns_label_because_it_becomes_the_pods_hostnames() =>
        Assert.Equal(["must not contain dots"], ObjectMetaValidation.CheckName(ResourceCatalog.Get("apps", "statefulsets"), "web.example", prefix: false));

    [Fact]
    public void Replicas_template_strategy_ordinals_retention_and_min_ready_seconds_may_change() =>
        Assert.Empty(UpdateErrors(set =>
        {
            set.Spec.Replicas = 5;
            set.Spec.Template.Spec.Containers[0].Image = "busybox:latest";
            set.Spec.UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "OnDelete" };
            set.Spec.Ordinals = new V1StatefulSetOrdinals { Start = 3 };
            set.Spec.PersistentVolumeClaimRetentionPolicy = new V1StatefulSetPersistentVolumeClaimRetentionPolicy { WhenDeleted = "Delete", WhenScaled = "Delete" };
            set.Spec.MinReadySeconds = 10;
        }));

    [Theory]
    [InlineData("serviceName")]
    [InlineData("podManagementPolicy")]
    [InlineData("revisionHistoryLimit")]
    public void Any_other_spec_field_may_not_change(string field) =>
        Assert.Equal(["spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"],
            UpdateErrors(set =>
            {
                switch (field)
                {
                    case "serviceName": set.Spec.ServiceName = "other"; break;
                    case "podManagementPolicy": set.Spec.PodManagementPolicy = "Parallel"; break;
                    default: set.Spec.RevisionHistoryLimit = 3; break;
                }
            }));

    [Fact]
    public void A_status_may_not_count_more_ready_replicas_than_replicas()
    {
        var old = Defaulted(StatefulSet());
        var updated = Defaulted(StatefulSet());
        updated.Status = new V1StatefulSetStatus { Replicas = 1, ReadyReplicas = 2, AvailableReplicas = 1 };

        Assert.Equal(["status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas"],
            _rules.ValidateStatusUpdate(updated, old).Select(e => e.ToString()));
    }

    [Fact]
    public void A_status_may_not_lower_the_collision_count()
    {
        var old = Defaulted(StatefulSet());
        old.Status = new V1StatefulSetStatus { CollisionCount = 2 };
        var updated = Defaulted(StatefulSet());
        updated.Status = new V1StatefulSetStatus { CollisionCount = 1 };

        Assert.Equal(["status.collisionCount: Invalid value: 1: cannot be decremented"], _rules.ValidateStatusUpdate(updated, old).Select(e => e.ToString()));
    }
}
