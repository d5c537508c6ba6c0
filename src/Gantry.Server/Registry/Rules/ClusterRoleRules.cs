using Gantry.Core.Resources;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>ClusterRoles (rbac.authorization.k8s.io/v1), kube's <c>ValidateClusterRole</c>: their rules may name non-resource URLs.</summary>
public sealed class ClusterRoleRules() : ResourceRules<V1ClusterRole>(ResourceCatalog.Get(RbacValidation.GroupName, "clusterroles"))
{
    protected override void Validate(V1ClusterRole obj, List<FieldError> errors) => RbacValidation.ValidateRules(obj.Rules, isNamespaced: false, errors);
}
