using Gantry.Core.Resources;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// RoleBindings (rbac.authorization.k8s.io/v1), kube's <c>ValidateRoleBinding</c>: a Role or ClusterRole granted to
/// subjects in the binding's namespace; the role it refers to cannot change.
/// </summary>
public sealed class RoleBindingRules() : ResourceRules<V1RoleBinding>(ResourceCatalog.Get(RbacValidation.GroupName, "rolebindings"))
{
    protected override void Validate(V1RoleBinding obj, List<FieldError> errors) =>
        RbacValidation.ValidateBinding(obj.RoleRef, obj.Subjects, isNamespaced: true, errors);

    protected override void ValidateUpdate(V1RoleBinding obj, V1RoleBinding old, List<FieldError> errors)
    {
        Validate(obj, errors);
        RbacValidation.ValidateRoleRefUnchanged(obj.RoleRef, old.RoleRef, errors);
    }
}
