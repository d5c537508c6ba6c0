using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using Gantry.Server.Security;
using Gantry.Tests.Registry;
using Xunit;

namespace Gantry.Tests.Security;

/// <summary>
/// kube's RBAC escalation check on writes of roles and bindings: a user grants only what it holds, unless it may
/// <c>escalate</c> the role or <c>bind</c> the role it refers to; the server's own writes and the masters' always pass.
/// </summary>
public sealed class RbacEscalationAdmissionTests : IAsyncLifetime
{
    private const string Rbac = "rbac.authorization.k8s.io";

    private const string Ns = "default";

    private static readonly ResourceType Roles = ResourceCatalog.Get(Rbac, "roles");

    private static readonly ResourceType ClusterRoles = ResourceCatalog.Get(Rbac, "clusterroles");

    private static readonly ResourceType RoleBindings = ResourceCatalog.Get(Rbac, "rolebindings");

    private static readonly ResourceType ClusterRoleBindings = ResourceCatalog.Get(Rbac, "clusterrolebindings");

    private static readonly RequestUser Jane = new("jane", ["devs", RequestUser.Authenticated]);

    private static readonly WriteOptions AsJane = new() { User = Jane };

    private const string JaneIsAttempting = "user \"jane\" (groups=[\"devs\" \"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n";

    private RegistryTestContext _context = null!;

    /// <summary>The registry with the admission; <see cref="RegistryTestContext.Registry"/> writes as the server, without it.</summary>
    private ObjectRegistry _guarded = null!;

    public async Task InitializeAsync()
    {
        _context = await RegistryTestContext.StartAsync();
        var authorizer = new RequestAuthorizer(new NodeRole(_context.Cache), new StoredRbacPolicy(_context));
        _guarded = new ObjectRegistry(
            _context.Store, _context.Cache, ResourceRulesCatalog.For, _context.Time, writeAdmission: [new RbacEscalationAdmission(authorizer, _context.Cache)]);
        // Jane reads pods in the default namespace.
        await Server(Roles, Role("pod-reader", Rule("get,list", "", "pods")));
        await Server(RoleBindings, RoleBinding("jane-reads-pods", "Role", "pod-reader"));
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public async Task The_servers_own_writes_grant_anything() =>
        await _guarded.CreateAsync(Roles, Ns, Role("all", Rule("*", "*", "*")), new WriteOptions(), _context.Ct);

    [Fact]
    public async Task A_master_grants_anything() =>
        await _guarded.CreateAsync(ClusterRoles, null, ClusterRole("all", Rule("*", "*", "*")), new WriteOptions { User = RequestUser.Admin }, _context.Ct);

    [Fact]
    public async Task A_user_may_create_a_role_with_rules_it_holds() =>
        await Write(Roles, Role("r2", Rule("get", "", "pods")));

    [Fact]
    public async Task A_user_may_not_create_a_role_with_rules_it_lacks()
    {
        var refused = await Refused(Roles, Role("r3", Rule("get,delete", "", "pods"), Rule("get", "", "secrets")));

        Assert.Equal(403, refused.Code);
        Assert.Equal(
            "roles.rbac.authorization.k8s.io \"r3\" is forbidden: " + JaneIsAttempting +
            "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"delete\"]}\n{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\"]}",
            refused.Message);
        Assert.Null(_context.Registry.Get(Roles, Ns, "r3"));
    }

    [Fact]
    public async Task A_refusal_lists_the_users_bindings_whose_role_is_missing()
    {
        await Server(RoleBindings, RoleBinding("jane-lost", "Role", "lost"));

        var refused = await Refused(Roles, Role("r3", Rule("delete", "", "pods")));

        Assert.Equal(
            "roles.rbac.authorization.k8s.io \"r3\" is forbidden: " + JaneIsAttempting +
            "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"delete\"]}; resolution errors: [roles.rbac.authorization.k8s.io \"lost\" not found]",
            refused.Message);
    }

    [Fact]
    public async Task A_dry_run_is_refused_as_the_write_would_be()
    {
        var refused = await Assert.ThrowsAsync<ApiException>(() =>
            _guarded.CreateAsync(Roles, Ns, Role("r3", Rule("delete", "", "pods")), new WriteOptions(DryRun: true) { User = Jane }, _context.Ct));

        Assert.Equal(403, refused.Code);
    }

    [Fact]
    public async Task Rules_held_in_another_namespace_do_not_count()
    {
        var refused = await Assert.ThrowsAsync<ApiException>(() =>
            _guarded.CreateAsync(Roles, "kube-public", Role("r2", Rule("get", "", "pods")), AsJane, _context.Ct));

        Assert.Equal(403, refused.Code);
    }

    [Fact]
    public async Task A_cluster_role_is_judged_by_the_users_cluster_wide_rules_only()
    {
        Assert.Equal(403, (await Refused(ClusterRoles, ClusterRole("reader", Rule("get", "", "pods")))).Code);

        await Server(ClusterRoles, ClusterRole("pod-reader", Rule("get", "", "pods")));
        await Server(ClusterRoleBindings, ClusterRoleBinding("jane-reads-pods", "pod-reader"));
        await Write(ClusterRoles, ClusterRole("reader", Rule("get", "", "pods")));
    }

    [Fact]
    public async Task The_escalate_verb_lets_a_user_write_a_role_with_any_rules()
    {
        await Server(Roles, Role("escalator", Rule("escalate", Rbac, "roles")));
        await Server(RoleBindings, RoleBinding("jane-escalates", "Role", "escalator"));

        await Write(Roles, Role("all", Rule("*", "*", "*")));
    }

    [Fact]
    public async Task An_update_that_adds_rules_the_user_lacks_is_refused_and_one_within_them_passes()
    {
        await Write(Roles, Role("r2", Rule("get", "", "pods")));

        var refused = await Assert.ThrowsAsync<ApiException>(() => _guarded.MutateAsync(
            Roles, Ns, "r2", role => WithRules(role, Rule("get,delete", "", "pods")), null, null, AsJane, _context.Ct));
        await _guarded.MutateAsync(Roles, Ns, "r2", role => WithRules(role, Rule("list", "", "pods")), null, null, AsJane, _context.Ct);

        Assert.Equal(
            "roles.rbac.authorization.k8s.io \"r2\" is forbidden: " + JaneIsAttempting + "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"delete\"]}",
            refused.Message);
    }

    [Fact]
    public async Task An_update_of_only_finalizers_and_owners_passes_whatever_the_role_grants()
    {
        await Server(Roles, Role("big", Rule("*", "*", "*")));

        await _guarded.MutateAsync(Roles, Ns, "big", role =>
        {
            role["metadata"]!["finalizers"] = new JsonArray("example.com/keep");
            return role;
        }, null, null, AsJane, _context.Ct);
        var labelled = await Assert.ThrowsAsync<ApiException>(() => _guarded.MutateAsync(Roles, Ns, "big", role =>
        {
            role["metadata"]!["labels"] = new JsonObject { ["a"] = "b" };
            return role;
        }, null, null, AsJane, _context.Ct));

        Assert.Equal(403, labelled.Code);
    }

    [Fact]
    public async Task A_user_may_bind_a_role_whose_rules_it_holds() =>
        await Write(RoleBindings, RoleBinding("b", "Role", "pod-reader"));

    [Fact]
    public async Task A_user_may_not_bind_a_role_whose_rules_it_lacks()
    {
        var refused = await Refused(RoleBindings, RoleBinding("b", "ClusterRole", "cluster-admin"));

        Assert.Equal(
            "rolebindings.rbac.authorization.k8s.io \"b\" is forbidden: " + JaneIsAttempting +
            "{APIGroups:[\"*\"], Resources:[\"*\"], Verbs:[\"*\"]}\n{NonResourceURLs:[\"*\"], Verbs:[\"*\"]}",
            refused.Message);
    }

    [Fact]
    public async Task The_bind_verb_on_the_role_lets_a_user_bind_it()
    {
        await Server(Roles, Role("binder", Names(Rule("bind", Rbac, "clusterroles"), "cluster-admin")));
        await Server(RoleBindings, RoleBinding("jane-binds", "Role", "binder"));

        await Write(RoleBindings, RoleBinding("b", "ClusterRole", "cluster-admin"));
    }

    [Fact]
    public async Task The_bind_verb_on_another_role_does_not()
    {
        await Server(Roles, Role("binder", Names(Rule("bind", Rbac, "clusterroles"), "view")));
        await Server(RoleBindings, RoleBinding("jane-binds", "Role", "binder"));

        Assert.Equal(403, (await Refused(RoleBindings, RoleBinding("b", "ClusterRole", "cluster-admin"))).Code);
    }

    [Fact]
    public async Task Binding_a_role_that_does_not_exist_is_not_found()
    {
        var refused = await Refused(RoleBindings, RoleBinding("b", "Role", "nope"));

        Assert.Equal(404, refused.Code);
        Assert.Equal("roles.rbac.authorization.k8s.io \"nope\" not found", refused.Message);
    }

    [Fact]
    public async Task A_cluster_role_binding_is_judged_by_the_users_cluster_wide_rules_only()
    {
        await Server(ClusterRoles, ClusterRole("pod-reader", Rule("get,list", "", "pods")));

        var refused = await Refused(ClusterRoleBindings, ClusterRoleBinding("b", "pod-reader"));

        Assert.Equal(
            "clusterrolebindings.rbac.authorization.k8s.io \"b\" is forbidden: " + JaneIsAttempting +
            "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"get\" \"list\"]}",
            refused.Message);
    }

    [Fact]
    public async Task An_aggregation_rule_needs_every_right_even_with_no_rules()
    {
        var refused = await Refused(ClusterRoles, Aggregated("agg"));

        Assert.Equal(
            "clusterroles.rbac.authorization.k8s.io \"agg\" is forbidden: must have cluster-admin privileges to use the aggregationRule",
            refused.Message);
    }

    [Fact]
    public async Task Dropping_an_aggregation_rule_needs_every_right_too()
    {
        await Server(ClusterRoles, Aggregated("agg"));

        var refused = await Assert.ThrowsAsync<ApiException>(() => _guarded.MutateAsync(ClusterRoles, null, "agg", role =>
        {
            role.Remove("aggregationRule");
            return role;
        }, null, null, AsJane, _context.Ct));

        Assert.Contains("must have cluster-admin privileges to use the aggregationRule", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_bound_to_cluster_admin_may_use_an_aggregation_rule()
    {
        await Server(ClusterRoleBindings, ClusterRoleBinding("jane-admin", "cluster-admin"));

        await Write(ClusterRoles, Aggregated("agg"));
    }

    [Fact]
    public async Task The_escalate_verb_allows_an_aggregation_rule()
    {
        await Server(ClusterRoles, ClusterRole("escalator", Rule("escalate", Rbac, "clusterroles")));
        await Server(ClusterRoleBindings, ClusterRoleBinding("jane-escalates", "escalator"));

        await Write(ClusterRoles, Aggregated("agg"));
    }

    private Task<JsonObject> Server(ResourceType type, JsonObject obj) =>
        _context.Registry.CreateAsync(type, type.Namespaced ? Ns : null, obj, new WriteOptions(), _context.Ct);

    private Task<JsonObject> Write(ResourceType type, JsonObject obj) => _guarded.CreateAsync(type, type.Namespaced ? Ns : null, obj, AsJane, _context.Ct);

    private Task<ApiException> Refused(ResourceType type, JsonObject obj) => Assert.ThrowsAsync<ApiException>(() => Write(type, obj));

    private static JsonObject Rule(string verbs, string group, string resources) => new()
    {
        ["verbs"] = Array(verbs),
        ["apiGroups"] = new JsonArray(group),
        ["resources"] = Array(resources),
    };

    private static JsonObject Names(JsonObject rule, string names)
    {
        rule["resourceNames"] = Array(names);
        return rule;
    }

    private static JsonArray Array(string commaSeparated) => new([.. commaSeparated.Split(',').Select(v => (JsonNode?)v)]);

    private static JsonObject WithRules(JsonObject role, params JsonObject[] rules)
    {
        role["rules"] = new JsonArray(rules);
        return role;
    }

    private static JsonObject Role(string name, params JsonObject[] rules) => Object("Role", name, rules);

    private static JsonObject ClusterRole(string name, params JsonObject[] rules) => Object("ClusterRole", name, rules);

    private static JsonObject Aggregated(string name)
    {
        var role = ClusterRole(name);
        role["aggregationRule"] = new JsonObject
        {
            ["clusterRoleSelectors"] = new JsonArray(new JsonObject { ["matchLabels"] = new JsonObject { ["example.com/aggregate"] = "true" } }),
        };
        return role;
    }

    /// <summary>Without a namespace: the registry takes the request's.</summary>
    private static JsonObject Object(string kind, string name, JsonObject[] rules) => new()
    {
        ["apiVersion"] = Rbac + "/v1",
        ["kind"] = kind,
        ["metadata"] = new JsonObject { ["name"] = name },
        ["rules"] = new JsonArray(rules),
    };

    private static JsonObject RoleBinding(string name, string roleKind, string role) => Binding("RoleBinding", name, roleKind, role);

    private static JsonObject ClusterRoleBinding(string name, string role) => Binding("ClusterRoleBinding", name, "ClusterRole", role);

    private static JsonObject Binding(string kind, string name, string roleKind, string role)
    {
        var binding = Object(kind, name, []);
        binding.Remove("rules");
        binding["roleRef"] = new JsonObject { ["apiGroup"] = Rbac, ["kind"] = roleKind, ["name"] = role };
        binding["subjects"] = new JsonArray(new JsonObject { ["kind"] = "User", ["apiGroup"] = Rbac, ["name"] = "jane" });
        return binding;
    }
}
