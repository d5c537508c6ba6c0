using Gantry.Core.Validation;
using Gantry.Server.Security.ServiceAccounts;
using k8s.Models;

namespace Gantry.Server.Security;

/// <summary>
/// The RBAC objects of the cluster at one moment, with every binding's role resolved to its rules and indexed by
/// subject, so that a decision is a few dictionary lookups (kube's rbac authorizer walks the bindings on every
/// request). A ClusterRoleBinding grants its ClusterRole everywhere; a RoleBinding grants its Role or ClusterRole in its
/// own namespace. A binding whose role is missing grants nothing, as in kube, and is kept as a resolution error.
/// </summary>
public sealed class RbacPolicy
{
    /// <summary>Subject key (<see cref="UserKey"/>, <see cref="GroupKey"/>) to the rules cluster bindings grant it.</summary>
    private readonly Dictionary<string, List<GrantedRule>> _cluster;

    /// <summary>Namespace to subject key to the rules that namespace's RoleBindings grant it.</summary>
    private readonly Dictionary<string, Dictionary<string, List<GrantedRule>>> _namespaced;

    /// <summary>Subject key to why cluster bindings of it grant nothing (their role is missing), as kube's rule resolution says it.</summary>
    private readonly Dictionary<string, List<string>> _clusterErrors;

    /// <summary>Namespace to subject key to why that namespace's RoleBindings of it grant nothing.</summary>
    private readonly Dictionary<string, Dictionary<string, List<string>>> _namespacedErrors;

    private RbacPolicy(
        Dictionary<string, List<GrantedRule>> cluster,
        Dictionary<string, Dictionary<string, List<GrantedRule>>> namespaced,
        Dictionary<string, List<string>> clusterErrors,
        Dictionary<string, Dictionary<string, List<string>>> namespacedErrors)
    {
        _cluster = cluster;
        _namespaced = namespaced;
        _clusterErrors = clusterErrors;
        _namespacedErrors = namespacedErrors;
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

        var cluster = new Dictionary<string, List<GrantedRule>>(StringComparer.Ordinal);
        var clusterErrors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var binding in clusterRoleBindings)
        {
            if (binding.RoleRef?.Kind != "ClusterRole")
            {
                Grant(clusterErrors, binding.Subjects, null, UnsupportedKind(binding.RoleRef));
            }
            else if (clusterRoleRules.TryGetValue(binding.RoleRef.Name, out var rules))
            {
                Grant(cluster, binding.Subjects, null, subject => Granted(rules, $"ClusterRoleBinding {GoValue.Quote(binding.Metadata.Name)}", binding.RoleRef, subject, ""));
            }
            else
            {
                Grant(clusterErrors, binding.Subjects, null, NotFound("clusterroles", binding.RoleRef.Name));
            }
        }

        var namespaced = new Dictionary<string, Dictionary<string, List<GrantedRule>>>(StringComparer.Ordinal);
        var namespacedErrors = new Dictionary<string, Dictionary<string, List<string>>>(StringComparer.Ordinal);
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
                var source = $"RoleBinding {GoValue.Quote(binding.Metadata.Name + "/" + ns)}";
                Grant(In(namespaced, ns), binding.Subjects, ns, subject => Granted(rules, source, binding.RoleRef!, subject, ns));
            }
            else
            {
                var error = binding.RoleRef?.Kind switch
                {
                    "ClusterRole" => NotFound("clusterroles", binding.RoleRef.Name),
                    "Role" => NotFound("roles", binding.RoleRef.Name),
                    _ => UnsupportedKind(binding.RoleRef),
                };
                Grant(In(namespacedErrors, ns), binding.Subjects, ns, error);
            }
        }

        return new RbacPolicy(cluster, namespaced, clusterErrors, namespacedErrors);
    }

    /// <summary>
    /// Why bindings of the user that apply in <paramref name="ns"/> grant nothing, cluster-wide ones first: kube's rule
    /// resolution errors (<c>roles.rbac.authorization.k8s.io "x" not found</c>), which an escalation's refusal lists.
    /// </summary>
    public IReadOnlyList<string> ResolutionErrors(RequestUser user, string? ns)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Visit(user, ns, _clusterErrors, _namespacedErrors).ToList();
    }

    /// <summary>kube's <c>RBACAuthorizer.Authorize</c> for a resource request: cluster bindings, then the request namespace's.</summary>
    public bool Allows(RequestUser user, RequestAttributes request)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(request);
        return AllowedBy(user, request) is not null;
    }

    /// <summary>
    /// What allows the request, as kube's RBAC authorizer gives its reason (<c>ClusterRoleBinding "b" of ClusterRole "r"
    /// to User "u"</c>); null when nothing does.
    /// </summary>
    public string? AllowedBy(RequestUser user, RequestAttributes request)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(request);
        foreach (var granted in Visit(user, request.Namespace, _cluster, _namespaced))
        {
            if (granted.Rule.NonResourceUrls.Count == 0 && granted.Rule.Allows(request))
            {
                return granted.Source;
            }
        }

        return null;
    }

    /// <summary>A request for a path outside the resource API, which only cluster bindings can grant.</summary>
    public bool AllowsPath(RequestUser user, string verb, string path) => PathAllowedBy(user, verb, path) is not null;

    /// <summary>What allows the path's verb, as <see cref="AllowedBy"/> says it; null when nothing does.</summary>
    public string? PathAllowedBy(RequestUser user, string verb, string path)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Visit(user, null, _cluster, _namespaced).FirstOrDefault(granted => granted.Rule.AllowsPath(verb, path))?.Source;
    }

    /// <summary>kube's <c>RulesFor</c>: every rule that applies to the user in <paramref name="ns"/>, cluster-wide ones first.</summary>
    public IEnumerable<PolicyRule> RulesFor(RequestUser user, string? ns)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Visit(user, ns, _cluster, _namespaced).Select(granted => granted.Rule);
    }

    private static IEnumerable<T> Visit<T>(
        RequestUser user, string? ns, Dictionary<string, List<T>> cluster, Dictionary<string, Dictionary<string, List<T>>> namespaced)
    {
        var keys = SubjectKeys(user);
        foreach (var key in keys)
        {
            foreach (var item in cluster.GetValueOrDefault(key) ?? [])
            {
                yield return item;
            }
        }

        if (ns is { Length: > 0 } && namespaced.TryGetValue(ns, out var subjects))
        {
            foreach (var key in keys)
            {
                foreach (var item in subjects.GetValueOrDefault(key) ?? [])
                {
                    yield return item;
                }
            }
        }
    }

    private static Dictionary<string, List<T>> In<T>(Dictionary<string, Dictionary<string, List<T>>> byNamespace, string ns)
    {
        if (!byNamespace.TryGetValue(ns, out var subjects))
        {
            byNamespace[ns] = subjects = new Dictionary<string, List<T>>(StringComparer.Ordinal);
        }

        return subjects;
    }

    /// <summary>The message of the NotFound a lookup of a missing role gets.</summary>
    private static string NotFound(string plural, string name) => $"{plural}.rbac.authorization.k8s.io {GoValue.Quote(name)} not found";

    private static string UnsupportedKind(V1RoleRef? roleRef) => $"unsupported role reference kind: {GoValue.Quote(roleRef?.Kind ?? "")}";

    private static List<string> SubjectKeys(RequestUser user)
    {
        var keys = new List<string>(user.Groups.Count + 1) { UserKey(user.Name) };
        keys.AddRange(user.Groups.Select(GroupKey));
        return keys;
    }

    private static void Grant(Dictionary<string, List<string>> index, IList<Rbacv1Subject>? subjects, string? bindingNamespace, string error) =>
        Grant(index, subjects, bindingNamespace, _ => [error]);

    /// <summary>
    /// Files what a binding gives each of its subjects under the subject's key: kube's <c>appliesToUser</c>, turned
    /// round, where a ServiceAccount subject is the user <c>system:serviceaccount:NS:NAME</c>, its namespace defaulting
    /// to the RoleBinding's.
    /// </summary>
    private static void Grant<T>(
        Dictionary<string, List<T>> index, IList<Rbacv1Subject>? subjects, string? bindingNamespace, Func<Rbacv1Subject, IEnumerable<T>> granted)
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

            if (!index.TryGetValue(key, out var held))
            {
                index[key] = held = [];
            }

            held.AddRange(granted(subject));
        }
    }

    /// <summary>The role's rules, each with kube's description of the binding that grants it to the subject.</summary>
    private static IEnumerable<GrantedRule> Granted(List<PolicyRule> rules, string binding, V1RoleRef role, Rbacv1Subject subject, string bindingNamespace)
    {
        var source = $"{binding} of {role.Kind} {GoValue.Quote(role.Name)} to {Describe(subject, bindingNamespace)}";
        return rules.Select(rule => new GrantedRule(rule, source));
    }

    /// <summary>kube's <c>describeSubject</c>: a service account as <c>NAME/NAMESPACE</c>.</summary>
    private static string Describe(Rbacv1Subject subject, string bindingNamespace) => subject.Kind == "ServiceAccount"
        ? $"{subject.Kind} {GoValue.Quote(subject.Name + "/" + (string.IsNullOrEmpty(subject.NamespaceProperty) ? bindingNamespace : subject.NamespaceProperty))}"
        : $"{subject.Kind} {GoValue.Quote(subject.Name)}";

    /// <summary>A rule a binding grants a subject, and that binding as kube's RBAC authorizer describes it.</summary>
    private sealed record GrantedRule(PolicyRule Rule, string Source);

    private static string UserKey(string name) => "u:" + name;

    private static string GroupKey(string name) => "g:" + name;

    private static List<PolicyRule> Rules(V1ClusterRole role) => [.. (role.Rules ?? []).Select(PolicyRule.Of)];

    private static List<PolicyRule> Rules(V1Role role) => [.. (role.Rules ?? []).Select(PolicyRule.Of)];
}
