using Gantry.Core.Resources;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// ClusterRoleBindings (rbac.authorization.k8s.io/v1), kube's <c>ValidateClusterRoleBinding</c>: a ClusterRole granted
/// everywhere; a ServiceAccount subject names its namespace; the role it refers to cannot change.
/// </summary>
public sealed class ClusterRoleBindingRules() : ResourceRules<V1ClusterRoleBinding>(ResourceCatalog.Get(RbacValidation.GroupName, "clusterrolebindings"))
{
    protected override void Validate(V1ClusterRoleBinding obj, List<FieldError> errors) =>
        RbacValidation.ValidateBinding(obj.RoleRef, obj.Subjects, isNamespaced: false, errors);

    protected override void ValidateUpdate(V1ClusterRoleBinding obj, V1ClusterRoleBinding old, List<FieldError> errors)
    {
        Validate(obj, errors);
        RbacValidation.ValidateRoleRefUnchanged(obj.RoleRef, old.RoleRef, errors);
    }
}
