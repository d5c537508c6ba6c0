using Gantry.Server.Informers;
using k8s.Models;

namespace Gantry.Server.Security;

/// <summary>
/// The current <see cref="RbacPolicy"/>, kept from the server's informers of the four RBAC kinds. A change only marks
/// the policy stale; the next request that needs it builds a new one, so a burst of changes costs one build and a
/// request never reads the store.
/// </summary>
public sealed class RbacAuthorizer : IRbacPolicySource
{
    private readonly Informer<V1Role> _roles;
    private readonly Informer<V1ClusterRole> _clusterRoles;
    private readonly Informer<V1RoleBinding> _roleBindings;
    private readonly Informer<V1ClusterRoleBinding> _clusterRoleBindings;
    private readonly Lock _gate = new();
    private RbacPolicy? _policy;
    private long _changes;

    public RbacAuthorizer(SharedInformers informers)
    {
        ArgumentNullException.ThrowIfNull(informers);
        _roles = informers.For<V1Role>();
        _clusterRoles = informers.For<V1ClusterRole>();
        _roleBindings = informers.For<V1RoleBinding>();
        _clusterRoleBindings = informers.For<V1ClusterRoleBinding>();
        _roles.OnChange((_, _) => Changed());
        _clusterRoles.OnChange((_, _) => Changed());
        _roleBindings.OnChange((_, _) => Changed());
        _clusterRoleBindings.OnChange((_, _) => Changed());
    }

    public RbacPolicy Policy => Volatile.Read(ref _policy) ?? Build();

    private void Changed()
    {
        lock (_gate)
        {
            _changes++;
            _policy = null;
        }
    }

    private RbacPolicy Build()
    {
        long changes;
        lock (_gate)
        {
            changes = _changes;
        }

        var policy = RbacPolicy.From(_roles.List(), _clusterRoles.List(), _roleBindings.List(), _clusterRoleBindings.List());
        lock (_gate)
        {
            // A change seen while building may be missing from this policy: it serves this request, not the next.
            if (changes == _changes)
            {
                _policy = policy;
            }
        }

        return policy;
    }
}
