using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Controllers;
using Gantry.Server.Security;
using Gantry.Tests.Registry;
using Xunit;

namespace Gantry.Tests.Security;

/// <summary>A cluster starts with kube's default roles and bindings, and a restart puts back what was lost of them only where they say it may.</summary>
public sealed class RbacBootstrapTests : IAsyncLifetime
{
    private static readonly ResourceType ClusterRoles = ResourceCatalog.Get("rbac.authorization.k8s.io", "clusterroles");
    private static readonly ResourceType ClusterRoleBindings = ResourceCatalog.Get("rbac.authorization.k8s.io", "clusterrolebindings");

    private RegistryTestContext _context = null!;

    public async Task InitializeAsync() => _context = await RegistryTestContext.StartAsync();

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private JsonObject Role(string name) => _context.Get(ClusterRoles, name)!;

    private static IEnumerable<string> Strings(JsonNode? array) => array?.AsArray().Select(v => v!.GetValue<string>()) ?? [];

    private static bool HasRule(JsonObject role, string group, string resource, string verb) =>
        role["rules"]!.AsArray().Any(r => Strings(r!["apiGroups"]).Contains(group) && Strings(r["resources"]).Contains(resource) && Strings(r["verbs"]).Contains(verb));

    [Fact]
    public void Default_roles_carry_the_bootstrapping_label_and_the_autoupdate_annotation()
    {
        var admin = Role("cluster-admin");

        Assert.Equal("rbac-defaults", admin["metadata"]!["labels"]![BootstrapPolicy.BootstrappingLabel]!.GetValue<string>());
        Assert.Equal("true", admin["metadata"]!["annotations"]![BootstrapPolicy.AutoupdateAnnotation]!.GetValue<string>());
    }

    [Fact]
    public void Cluster_admin_is_bound_to_system_masters()
    {
        var binding = _context.Get(ClusterRoleBindings, "cluster-admin")!;

        Assert.Equal("ClusterRole/cluster-admin", $"{binding["roleRef"]!["kind"]}/{binding["roleRef"]!["name"]}");
        Assert.Equal("system:masters", binding["subjects"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Public_info_is_bound_to_authenticated_and_unauthenticated_users() =>
        Assert.Equal(["system:authenticated", "system:unauthenticated"],
            _context.Get(ClusterRoleBindings, "system:public-info-viewer")!["subjects"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()));

    [Fact]
    public void Auth_delegator_may_create_token_and_subject_access_reviews_and_nothing_else()
    {
        var delegator = Role("system:auth-delegator");

        Assert.True(HasRule(delegator, "authentication.k8s.io", "tokenreviews", "create"));
        Assert.True(HasRule(delegator, "authorization.k8s.io", "subjectaccessreviews", "create"));
        Assert.Equal(2, delegator["rules"]!.AsArray().Count);
        Assert.Null(_context.Get(ClusterRoleBindings, "system:auth-delegator"));
    }

    [Fact]
    public void View_is_aggregated_from_the_roles_labelled_for_it()
    {
        var view = Role("view");

        Assert.True(HasRule(view, "", "pods", "list"));
        Assert.False(HasRule(view, "", "secrets", "get"));
    }

    [Fact]
    public void Edit_holds_what_view_holds_and_admin_what_edit_holds()
    {
        Assert.True(HasRule(Role("edit"), "", "pods", "list"));
        Assert.True(HasRule(Role("edit"), "", "secrets", "create"));
        Assert.True(HasRule(Role("admin"), "", "secrets", "create"));
        Assert.True(HasRule(Role("admin"), "rbac.authorization.k8s.io", "rolebindings", "create"));
        Assert.False(HasRule(Role("edit"), "rbac.authorization.k8s.io", "rolebindings", "create"));
    }

    [Fact]
    public async Task A_restart_writes_nothing_when_nothing_changed()
    {
        var before = RegistryTestContext.ResourceVersion(Role("admin"));

        await BootstrapObjects.EnsureAsync(_context.Registry, _context.Ct);

        Assert.Equal(before, RegistryTestContext.ResourceVersion(Role("admin")));
    }

    [Fact]
    public async Task A_restart_puts_back_a_rule_removed_from_an_autoupdated_role()
    {
        await _context.MutateAsync(ClusterRoles, "system:basic-user", role =>
        {
            role["rules"] = new JsonArray();
            return role;
        });

        await BootstrapObjects.EnsureAsync(_context.Registry, _context.Ct);

        Assert.True(HasRule(Role("system:basic-user"), "authorization.k8s.io", "selfsubjectaccessreviews", "create"));
    }

    [Fact]
    public async Task A_restart_leaves_a_role_alone_once_its_autoupdate_is_turned_off()
    {
        await _context.MutateAsync(ClusterRoles, "system:basic-user", role =>
        {
            role["rules"] = new JsonArray();
            role["metadata"]!["annotations"]![BootstrapPolicy.AutoupdateAnnotation] = "false";
            return role;
        });

        await BootstrapObjects.EnsureAsync(_context.Registry, _context.Ct);

        Assert.Empty(Role("system:basic-user")["rules"]!.AsArray());
    }
}
