using Gantry.Core.Resources;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>The rules of every type in <see cref="ResourceCatalog"/>.</summary>
public static class ResourceRulesCatalog
{
    private static readonly Dictionary<(string Group, string Plural), IResourceRules> ByResource =
        new IResourceRules[]
        {
            new NamespaceRules(),
            new PodRules(),
            new NodeRules(),
            new ServiceRules(),
            new EndpointsRules(),
            new ReplicationControllerRules(),
            new ConfigMapRules(),
            new SecretRules(),
            new EventRules(),
            new PlainRules<V1ServiceAccount>(ResourceCatalog.Get("", "serviceaccounts")),
            new LimitRangeRules(),
            new ResourceQuotaRules(),
            new PersistentVolumeRules(),
            new PersistentVolumeClaimRules(),
            new ReplicaSetRules(),
            new DeploymentRules(),
            new DaemonSetRules(),
            new StatefulSetRules(),
            new ControllerRevisionRules(),
            new JobRules(),
            new CronJobRules(),
            new HorizontalPodAutoscalerRules(),
            new CertificateSigningRequestRules(),
            new IngressRules(),
            new IngressClassRules(),
            new NetworkPolicyRules(),
            new PodDisruptionBudgetRules(),
            new LeaseRules(),
            new EndpointSliceRules(),
            new RuntimeClassRules(),
            new PriorityClassRules(),
            new StorageClassRules(),
            new ClusterRoleRules(),
            new ClusterRoleBindingRules(),
            new RoleRules(),
            new RoleBindingRules(),
            new CustomResourceDefinitionRules(),
            new MutatingWebhookConfigurationRules(),
            new ValidatingWebhookConfigurationRules(),
            new ValidatingAdmissionPolicyRules(),
            new ValidatingAdmissionPolicyBindingRules(),
        }.ToDictionary(r => (r.Type.Group, r.Type.Plural));

    /// <summary>Every type's rules, in the catalog's discovery order.</summary>
    public static IReadOnlyList<IResourceRules> All { get; } = ResourceCatalog.Types.Select(t => ByResource[(t.Group, t.Plural)]).ToList();

    /// <summary>The rules of <paramref name="type"/>.</summary>
    /// <exception cref="KeyNotFoundException">The type is not one of <see cref="ResourceCatalog.Types"/>.</exception>
    public static IResourceRules For(ResourceType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return ByResource.TryGetValue((type.Group, type.Plural), out var rules)
            ? rules
            : throw new KeyNotFoundException($"no rules for {type.QualifiedPlural}");
    }
}
