using Gantry.Core.Resources;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// ClusterRoles (rbac.authorization.k8s.io/v1), kube's <c>ValidateClusterRole</c>: their rules may name non-resource
/// URLs; an aggregation rule needs at least one valid selector.
/// </summary>
public sealed class ClusterRoleRules() : ResourceRules<V1ClusterRole>(ResourceCatalog.Get(RbacValidation.GroupName, "clusterroles"))
{
    protected override void Validate(V1ClusterRole obj, List<FieldError> errors)
    {
        RbacValidation.ValidateRules(obj.Rules, isNamespaced: false, errors);
        if (obj.AggregationRule is not { } aggregation)
        {
            return;
        }

        var path = FieldPath.Of("aggregationRule", "clusterRoleSelectors");
        if (aggregation.ClusterRoleSelectors is not { Count: > 0 } selectors)
        {
            errors.Add(FieldErrors.Required(path, "at least one clusterRoleSelector required if aggregationRule is non-nil"));
            return;
        }

        for (var i = 0; i < selectors.Count; i++)
        {
            errors.AddRange(LabelSelectorValidation.Validate(selectors[i], path.Index(i)));
        }
    }
}
