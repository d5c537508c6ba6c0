using Gantry.Core.Resources;
using Gantry.Core.Validation;
using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Security;

/// <summary>Roles and bindings are checked as kube's pkg/apis/rbac/validation checks them, in its words.</summary>
public sealed class RbacValidationTests
{
    private const string Rbac = "rbac.authorization.k8s.io";

    private readonly IResourceRules _roles = new RoleRules();
    private readonly IResourceRules _clusterRoles = new ClusterRoleRules();
    private readonly IResourceRules _bindings = new RoleBindingRules();
    private readonly IResourceRules _clusterBindings = new ClusterRoleBindingRules();

    private static V1Role Role(params V1PolicyRule[] rules) =>
        new() { Metadata = new V1ObjectMeta { Name = "reader", NamespaceProperty = "x" }, Rules = rules };

    private static V1ClusterRole ClusterRole(params V1PolicyRule[] rules) =>
        new() { Metadata = new V1ObjectMeta { Name = "system:reader" }, Rules = rules };

    private static V1RoleBinding Binding(string kind = "ClusterRole", string name = "view", params Rbacv1Subject[] subjects) => new()
    {
        Metadata = new V1ObjectMeta { Name = "jane-view", NamespaceProperty = "x" },
        RoleRef = new V1RoleRef { ApiGroup = Rbac, Kind = kind, Name = name },
        Subjects = subjects.Length == 0 ? [User("jane")] : subjects,
    };

    private static V1ClusterRoleBinding ClusterBinding(string kind = "ClusterRole", params Rbacv1Subject[] subjects) => new()
    {
        Metadata = new V1ObjectMeta { Name = "jane-view" },
        RoleRef = new V1RoleRef { ApiGroup = Rbac, Kind = kind, Name = "view" },
        Subjects = subjects.Length == 0 ? [User("jane")] : subjects,
    };

    private static Rbacv1Subject User(string name) => new() { Kind = "User", ApiGroup = Rbac, Name = name };

    private static V1PolicyRule PodReads => new() { Verbs = ["get", "list"], ApiGroups = [""], Resources = ["pods", "pods/log"] };

    private static string[] Messages(IReadOnlyList<FieldError> errors) => [.. errors.Select(e => e.ToString())];

    [Fact]
    public void A_role_that_reads_pods_is_valid() => Assert.Empty(_roles.ValidateCreate(Role(PodReads)));

    [Fact]
    public void A_rule_needs_verbs() =>
        Assert.Equal(["rules[0].verbs: Required value: verbs must contain at least one value"],
            Messages(_roles.ValidateCreate(Role(new V1PolicyRule { ApiGroups = [""], Resources = ["pods"] }))));

    [Fact]
    public void A_resource_rule_needs_api_groups_and_resources() =>
        Assert.Equal(
            ["rules[0].apiGroups: Required value: resource rules must supply at least one api group",
             "rules[0].resources: Required value: resource rules must supply at least one resource"],
            Messages(_roles.ValidateCreate(Role(new V1PolicyRule { Verbs = ["get"] }))));

    [Fact]
    public void Resource_names_apply_to_one_resource_only() =>
        Assert.Equal(["rules[0].resourceNames: Required value: resource names cannot apply to multiple resources"],
            Messages(_roles.ValidateCreate(Role(new V1PolicyRule { Verbs = ["get"], ApiGroups = [""], Resources = ["pods", "secrets"], ResourceNames = ["a"] }))));

    [Fact]
    public void A_namespaced_role_cannot_name_non_resource_urls() =>
        Assert.Equal(["rules[0].nonResourceURLs: Invalid value: []string{\"/healthz\"}: namespaced rules cannot apply to non-resource URLs"],
            Messages(_roles.ValidateCreate(Role(new V1PolicyRule { Verbs = ["get"], NonResourceURLs = ["/healthz"] }))));

    [Fact]
    public void A_cluster_role_may_name_non_resource_urls() =>
        Assert.Empty(_clusterRoles.ValidateCreate(ClusterRole(new V1PolicyRule { Verbs = ["get"], NonResourceURLs = ["/healthz", "/api/*"] })));

    [Fact]
    public void A_rule_cannot_mix_resources_and_non_resource_urls() =>
        Assert.Equal(["rules[0].nonResourceURLs: Invalid value: []string{\"/healthz\"}: rules cannot apply to both regular resources and non-resource URLs"],
            Messages(_clusterRoles.ValidateCreate(ClusterRole(new V1PolicyRule { Verbs = ["get"], Resources = ["pods"], NonResourceURLs = ["/healthz"] }))));

    [Theory]
    [InlineData("system:discovery", true)]
    [InlineData("a/b", false)]
    [InlineData("..", false)]
    public void Role_names_are_path_segments_not_dns_names(string name, bool valid) =>
        Assert.Equal(valid, ObjectMetaValidation.ValidateName(ResourceCatalog.Get(Rbac, "clusterroles"), name, null).Count == 0);

    [Fact]
    public void A_binding_to_a_cluster_role_for_a_user_is_valid() => Assert.Empty(_bindings.ValidateCreate(Binding()));

    [Fact]
    public void A_binding_refers_to_a_role_or_a_cluster_role() =>
        Assert.Equal(["roleRef.kind: Unsupported value: \"Pod\": supported values: \"Role\", \"ClusterRole\""],
            Messages(_bindings.ValidateCreate(Binding(kind: "Pod"))));

    [Fact]
    public void A_cluster_role_binding_refers_to_a_cluster_role_only() =>
        Assert.Equal(["roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\""],
            Messages(_clusterBindings.ValidateCreate(ClusterBinding(kind: "Role"))));

    [Fact]
    public void A_binding_needs_the_name_of_its_role() =>
        Assert.Equal(["roleRef.name: Required value"], Messages(_bindings.ValidateCreate(Binding(name: ""))));

    [Fact]
    public void A_user_subject_is_in_the_rbac_api_group() =>
        Assert.Equal(["subjects[0].apiGroup: Unsupported value: \"\": supported values: \"rbac.authorization.k8s.io\""],
            Messages(_bindings.ValidateCreate(Binding(subjects: new Rbacv1Subject { Kind = "User", Name = "jane" }))));

    [Fact]
    public void A_service_account_subject_has_no_api_group() =>
        Assert.Equal(["subjects[0].apiGroup: Unsupported value: \"rbac.authorization.k8s.io\": supported values: \"\""],
            Messages(_bindings.ValidateCreate(Binding(subjects: new Rbacv1Subject { Kind = "ServiceAccount", ApiGroup = Rbac, Name = "builder" }))));

    [Fact]
    public void A_service_account_subject_of_a_role_binding_may_leave_its_namespace_out() =>
        Assert.Empty(_bindings.ValidateCreate(Binding(subjects: new Rbacv1Subject { Kind = "ServiceAccount", Name = "builder" })));

    [Fact]
    public void A_service_account_subject_of_a_cluster_role_binding_names_its_namespace() =>
        Assert.Equal(["subjects[0].namespace: Required value"],
            Messages(_clusterBindings.ValidateCreate(ClusterBinding(subjects: new Rbacv1Subject { Kind = "ServiceAccount", Name = "builder" }))));

    [Fact]
    public void A_subject_is_a_user_a_group_or_a_service_account() =>
        Assert.Equal(["subjects[0].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\", \"Group\""],
            Messages(_bindings.ValidateCreate(Binding(subjects: new Rbacv1Subject { Kind = "Robot", Name = "r2" }))));

    [Fact]
    public void The_role_of_a_binding_cannot_change() =>
        Assert.Equal(["roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"ClusterRole\", Name:\"edit\"}: cannot change roleRef"],
            Messages(_bindings.ValidateUpdate(Binding(name: "edit"), Binding())));

    [Fact]
    public void The_subjects_of_a_binding_may_change() =>
        Assert.Empty(_clusterBindings.ValidateUpdate(ClusterBinding(subjects: User("joe")), ClusterBinding()));

    [Fact]
    public void An_aggregation_rule_needs_a_selector()
    {
        var role = ClusterRole();
        role.AggregationRule = new V1AggregationRule { ClusterRoleSelectors = [] };

        Assert.Equal(["aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil"],
            Messages(_clusterRoles.ValidateCreate(role)));
    }

    [Fact]
    public void An_aggregation_rule_selects_by_valid_labels()
    {
        var role = ClusterRole();
        role.AggregationRule = new V1AggregationRule { ClusterRoleSelectors = [new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["bad key!"] = "true" } }] };

        Assert.Single(_clusterRoles.ValidateCreate(role), e => e.Field == "aggregationRule.clusterRoleSelectors[0].matchLabels");
    }
}
