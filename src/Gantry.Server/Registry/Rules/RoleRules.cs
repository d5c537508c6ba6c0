using Gantry.Core.Resources;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>Roles (rbac.authorization.k8s.io/v1), kube's <c>ValidateRole</c>: rules in one namespace, so none for non-resource URLs.</summary>
public sealed class RoleRules() : ResourceRules<V1Role>(ResourceCatalog.Get(RbacValidation.GroupName, "roles"))
{
    protected override void Validate(V1Role obj, List<FieldError> errors) => RbacValidation.ValidateRules(obj.Rules, isNamespaced: true, errors);
}
