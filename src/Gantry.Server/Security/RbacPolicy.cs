using Gantry.Server.Security.ServiceAccounts;
using k8s.Models;

namespace Gantry.Server.Security;

/// <summary>
/// The RBAC objects of the cluster at one moment, with every binding's role resolved to its rules and indexed by
/// subject, so that a decision is a few dictionary lookups (kube's rbac authorizer walks the bindings on every
/// request). A ClusterRoleBinding grants its ClusterRole everywhere; a RoleBinding grants its Role or ClusterRole in its
/// own namespace. A binding whose role is missing grants nothing, as in kube.
/// </summary>
public sealed class RbacPolicy
{
    /// <summary>Subject key (<see cref="UserKey"/>, <see cref="GroupKey"/>) to the rules cluster bindings grant it.</summary>
    private readonly Dictionary<string, List<PolicyRule>> _cluster;

    /// <summary>Namespace to subject key to the rules that namespace's RoleBindings grant it.</summary>
    private readonly Dictionary<string, Dictionary<string, List<PolicyRule>>> _namespaced;

    private RbacPolicy(Dictionary<string, List<PolicyRule>> cluster, Dictionary<string, Dictionary<string, List<PolicyRule>>> namespaced)
    {
        _cluster = cluster;
        _namespaced = namespaced;
    }

    public static RbacPolicy From(
        IEnumerable<V1Role> roles, IEnumerable<V1ClusterRole> clusterRoles, IEnumerable<V1RoleBinding> roleBindings, IEnumerable<V1ClusterRoleBinding> clusterRoleBindings)
    {
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(clusterRoles);
        ArgumentNullException.ThrowIfNull(roleBindings);
        ArgumentNullException.ThrowIfNull(clusterRoleBindings);
        var clusterRoleRules = clusterRoles.ToDictionary(r => r.Metadata.Name, Rules, StringComparer.Ordinal);
        var roleRules = roles.ToDictionary(r => (r.Metadata.NamespaceProperty, r.Metadata.Name), Rules);

        var cluster = new Dictionary<string, List<PolicyRule>>(StringComparer.Ordinal);
        foreach (var binding in clusterRoleBindings)
        {
            if (binding.RoleRef?.Kind == "ClusterRole" && clusterRoleRules.TryGetValue(binding.RoleRef.Name, out var rules))
            {
                Grant(cluster, binding.Subjects, null, rules);
            }
        }

        var namespaced = new Dictionary<string, Dictionary<string, List<PolicyRule>>>(StringComparer.Ordinal);
        foreach (var binding in roleBindings)
        {
            var ns = binding.Metadata.NamespaceProperty;
            var rules = binding.RoleRef?.Kind switch
            {
                "ClusterRole" => clusterRoleRules.GetValueOrDefault(binding.RoleRef.Name),
                "Role" => roleRules.GetValueOrDefault((ns, binding.RoleRef.Name)),
                _ => null,
            };
            if (rules is not null)
            {
                if (!namespaced.TryGetValue(ns, out var subjects))
                {
                    namespaced[ns] = subjects = new Dictionary<string, List<PolicyRule>>(StringComparer.Ordinal);
                }

                Grant(subjects, binding.Subjects, ns, rules);
            }
        }

        return new RbacPolicy(cluster, namespaced);
    }

    /// <summary>kube's <c>RBACAuthorizer.Authorize</c> for a resource request: cluster bindings, then the request namespace's.</summary>
    public bool Allows(RequestUser user, RequestAttributes request)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(request);
        return Visit(user, request.Namespace).Any(rule => rule.NonResourceUrls.Count == 0 && rule.Allows(request));
    }

    /// <summary>A request for a path outside the resource API, which only cluster bindings can grant.</summary>
    public bool AllowsPath(RequestUser user, string verb, string path)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Visit(user, null).Any(rule => rule.AllowsPath(verb, path));
    }

    /// <summary>kube's <c>RulesFor</c>: every rule that applies to the user in <paramref name="ns"/>, cluster-wide ones first.</summary>
    public IEnumerable<PolicyRule> RulesFor(RequestUser user, string? ns)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Visit(user, ns);
    }

    private IEnumerable<PolicyRule> Visit(RequestUser user, string? ns)
    {
        var keys = SubjectKeys(user);
        foreach (var key in keys)
        {
            foreach (var rule in _cluster.GetValueOrDefault(key) ?? [])
            {
                yield return rule;
            }
        }

        if (ns is { Length: > 0 } && _namespaced.TryGetValue(ns, out var subjects))
        {
            foreach (var key in keys)
            {
                foreach (var rule in subjects.GetValueOrDefault(key) ?? [])
                {
                    yield return rule;
                }
            }
        }
    }

    private static List<string> SubjectKeys(RequestUser user)
    {
        var keys = new List<string>(user.Groups.Count + 1) { UserKey(user.Name) };
        keys.AddRange(user.Groups.Select(GroupKey));
        return keys;
    }

    /// <summary>
    /// kube's <c>appliesToUser</c>, turned round: a ServiceAccount subject is the user
    /// <c>system:serviceaccount:NS:NAME</c>, its namespace defaulting to the RoleBinding's.
    /// </summary>
    private static void Grant(Dictionary<string, List<PolicyRule>> index, IList<Rbacv1Subject>? subjects, string? bindingNamespace, List<PolicyRule> rules)
    {
        foreach (var subject in subjects ?? [])
        {
            var key = subject.Kind switch
            {
                "User" => UserKey(subject.Name),
                "Group" => GroupKey(subject.Name),
                "ServiceAccount" when (string.IsNullOrEmpty(subject.NamespaceProperty) ? bindingNamespace : subject.NamespaceProperty) is { Length: > 0 } ns =>
                    UserKey(ServiceAccountUser.Name(ns, subject.Name)),
                _ => null,
            };
            if (key is null)
            {
                continue;
            }

            if (!index.TryGetValue(key, out var granted))
            {
                index[key] = granted = [];
            }

            granted.AddRange(rules);
        }
    }

    private static string UserKey(string name) => "u:" + name;

    private static string GroupKey(string name) => "g:" + name;

    private static List<PolicyRule> Rules(V1ClusterRole role) => [.. (role.Rules ?? []).Select(PolicyRule.Of)];

    private static List<PolicyRule> Rules(V1Role role) => [.. (role.Rules ?? []).Select(PolicyRule.Of)];
}
