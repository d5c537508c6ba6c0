using Gantry.Server.Security;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Security;

/// <summary>Who a binding grants a role to, and where: kube's rbac authorizer over roles, cluster roles and their bindings.</summary>
public sealed class RbacPolicyTests
{
    private const string Rbac = "rbac.authorization.k8s.io";

    private static readonly RequestUser Jane = new("jane", ["devs", RequestUser.Authenticated]);

    private static readonly V1ClusterRole PodReader = new()
    {
        Metadata = new V1ObjectMeta { Name = "pod-reader" },
        Rules = [new V1PolicyRule { Verbs = ["get", "list", "watch"], ApiGroups = [""], Resources = ["pods"] }],
    };

    private static readonly V1ClusterRole Metrics = new()
    {
        Metadata = new V1ObjectMeta { Name = "metrics" },
        Rules = [new V1PolicyRule { Verbs = ["get"], NonResourceURLs = ["/metrics"] }],
    };

    private static readonly V1Role SecretReader = new()
    {
        Metadata = new V1ObjectMeta { Name = "secret-reader", NamespaceProperty = "x" },
        Rules = [new V1PolicyRule { Verbs = ["get"], ApiGroups = [""], Resources = ["secrets"] }],
    };

    private static Rbacv1Subject User(string name) => new() { Kind = "User", ApiGroup = Rbac, Name = name };

    private static Rbacv1Subject Group(string name) => new() { Kind = "Group", ApiGroup = Rbac, Name = name };

    private static V1RoleBinding RoleBinding(string ns, string kind, string role, params Rbacv1Subject[] subjects) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"{role}-binding", NamespaceProperty = ns },
        RoleRef = new V1RoleRef { ApiGroup = Rbac, Kind = kind, Name = role },
        Subjects = subjects,
    };

    private static V1ClusterRoleBinding ClusterRoleBinding(string role, params Rbacv1Subject[] subjects) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"{role}-binding" },
        RoleRef = new V1RoleRef { ApiGroup = Rbac, Kind = "ClusterRole", Name = role },
        Subjects = subjects,
    };

    private static RbacPolicy Policy(IEnumerable<V1RoleBinding>? roleBindings = null, IEnumerable<V1ClusterRoleBinding>? clusterRoleBindings = null) =>
        RbacPolicy.From([SecretReader], [PodReader, Metrics], roleBindings ?? [], clusterRoleBindings ?? []);

    private static RequestAttributes ListPods(string? ns) => new("list", "", "pods", null, ns, null);

    [Fact]
    public void A_binding_of_a_missing_role_is_a_resolution_error_for_its_subjects_where_it_applies()
    {
        var policy = Policy(
            roleBindings: [RoleBinding("x", "Role", "lost", User("jane")), RoleBinding("y", "ClusterRole", "elsewhere", User("jane"))],
            clusterRoleBindings: [ClusterRoleBinding("gone", Group("devs")), ClusterRoleBinding("pod-reader", User("jane"))]);

        Assert.Equal(
            ["clusterroles.rbac.authorization.k8s.io \"gone\" not found", "roles.rbac.authorization.k8s.io \"lost\" not found"],
            policy.ResolutionErrors(Jane, "x"));
        Assert.Equal(["clusterroles.rbac.authorization.k8s.io \"gone\" not found"], policy.ResolutionErrors(Jane, null));
        Assert.Empty(policy.ResolutionErrors(new RequestUser("joe", [RequestUser.Authenticated]), "x"));
    }

    [Fact]
    public void Nothing_is_allowed_without_a_binding() => Assert.False(Policy().Allows(Jane, ListPods("x")));

    [Fact]
    public void A_role_binding_grants_its_cluster_role_in_its_namespace_only()
    {
        var policy = Policy([RoleBinding("x", "ClusterRole", "pod-reader", User("jane"))]);

        Assert.True(policy.Allows(Jane, ListPods("x")));
        Assert.False(policy.Allows(Jane, ListPods("y")));
        Assert.False(policy.Allows(Jane, ListPods(null)));
    }

    [Fact]
    public void A_cluster_role_binding_grants_its_role_in_every_namespace_and_cluster_wide()
    {
        var policy = Policy(clusterRoleBindings: [ClusterRoleBinding("pod-reader", User("jane"))]);

        Assert.True(policy.Allows(Jane, ListPods("y")));
        Assert.True(policy.Allows(Jane, ListPods(null)));
    }

    [Fact]
    public void A_role_binding_grants_a_role_of_its_own_namespace() =>
        Assert.True(Policy([RoleBinding("x", "Role", "secret-reader", User("jane"))]).Allows(Jane, new("get", "", "secrets", null, "x", "token")));

    [Fact]
    public void A_role_binding_cannot_grant_a_role_of_another_namespace() =>
        Assert.False(Policy([RoleBinding("y", "Role", "secret-reader", User("jane"))]).Allows(Jane, new("get", "", "secrets", null, "y", "token")));

    [Fact]
    public void A_binding_to_a_missing_role_grants_nothing() =>
        Assert.False(Policy(clusterRoleBindings: [ClusterRoleBinding("gone", User("jane"))]).Allows(Jane, ListPods("x")));

    [Fact]
    public void A_group_subject_grants_every_member() =>
        Assert.True(Policy([RoleBinding("x", "ClusterRole", "pod-reader", Group("devs"))]).Allows(Jane, ListPods("x")));

    [Fact]
    public void A_user_subject_grants_no_other_user() =>
        Assert.False(Policy([RoleBinding("x", "ClusterRole", "pod-reader", User("joe"))]).Allows(Jane, ListPods("x")));

    [Fact]
    public void A_service_account_subject_is_the_user_system_serviceaccount_ns_name()
    {
        var builder = new RequestUser("system:serviceaccount:ci:builder", ["system:serviceaccounts", "system:serviceaccounts:ci", RequestUser.Authenticated]);
        var subject = new Rbacv1Subject { Kind = "ServiceAccount", Name = "builder", NamespaceProperty = "ci" };

        Assert.True(Policy(clusterRoleBindings: [ClusterRoleBinding("pod-reader", subject)]).Allows(builder, ListPods("x")));
    }

    [Fact]
    public void A_service_account_subject_of_a_role_binding_defaults_to_the_bindings_namespace()
    {
        var builder = new RequestUser("system:serviceaccount:ci:builder", [RequestUser.Authenticated]);
        var subject = new Rbacv1Subject { Kind = "ServiceAccount", Name = "builder" };

        Assert.True(Policy([RoleBinding("ci", "ClusterRole", "pod-reader", subject)]).Allows(builder, ListPods("ci")));
    }

    [Fact]
    public void Only_cluster_role_bindings_grant_non_resource_urls()
    {
        Assert.True(Policy(clusterRoleBindings: [ClusterRoleBinding("metrics", User("jane"))]).AllowsPath(Jane, "get", "/metrics"));
        Assert.False(Policy([RoleBinding("x", "ClusterRole", "metrics", User("jane"))]).AllowsPath(Jane, "get", "/metrics"));
    }

    [Fact]
    public void The_rules_for_a_namespace_are_the_cluster_wide_ones_and_that_namespaces()
    {
        var policy = Policy([RoleBinding("x", "Role", "secret-reader", User("jane"))], [ClusterRoleBinding("pod-reader", Group("devs"))]);

        Assert.Equal(["pods", "secrets"], policy.RulesFor(Jane, "x").Select(r => r.Resources[0]));
        Assert.Equal(["pods"], policy.RulesFor(Jane, "y").Select(r => r.Resources[0]));
    }
}
