using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// RBAC as charts and users meet it: a Role and RoleBinding applied from a manifest, kube's table columns, and what the
/// bound user may then do and grant, seen through <c>kubectl --as</c> (impersonation by the admin, a member of
/// system:masters).
/// </summary>
[Collection(GantryCollection.Name)]
public sealed class RbacTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    [Fact]
    public async Task Apply_creates_a_role_and_its_binding_and_get_prints_kubes_columns()
    {
        var ns = await CreateNamespaceAsync("rbac-apply");

        var applied = await Ok("apply", "-f", Manifest("rbac-pod-reader.yaml"), "-n", ns);

        Check.StdoutContains(applied, "role.rbac.authorization.k8s.io/pod-reader created");
        Check.StdoutContains(applied, "rolebinding.rbac.authorization.k8s.io/pod-reader-jane created");
        var roles = (await Ok("get", "role", "-n", ns)).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Check.Equal("NAME CREATED AT", string.Join(' ', Cells(roles[0])), "role columns");
        Check.Equal("pod-reader", Cells(roles[1])[0], "role name");
        var bindings = (await Ok("get", "rolebinding", "-n", ns, "-o", "wide")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Check.Equal("NAME ROLE AGE USERS GROUPS SERVICEACCOUNTS", string.Join(' ', Cells(bindings[0])), "rolebinding columns");
        var row = Cells(bindings[1]);
        Check.Equal(("pod-reader-jane", "Role/pod-reader", "jane"), (row[0], row[1], row[3]), "rolebinding row");
    }

    [Fact]
    public async Task A_bound_user_may_do_what_its_role_allows_in_that_namespace_and_nothing_else()
    {
        var ns = await CreateNamespaceAsync("rbac-as");
        var other = await CreateNamespaceAsync("rbac-as-other");
        Check.StdoutContains(await Run("auth", "can-i", "list", "pods", "-n", ns, "--as=jane"), "no");
        await Ok("apply", "-f", Manifest("rbac-pod-reader.yaml"), "-n", ns);

        await Ok("get", "pods", "-n", ns, "--as=jane");
        Check.StdoutContains(await Ok("auth", "can-i", "list", "pods", "-n", ns, "--as=jane"), "yes");
        Check.StdoutContains(await Run("auth", "can-i", "delete", "pods", "-n", ns, "--as=jane"), "no");
        var refused = await Fails("get", "pods", "-n", other, "--as=jane");
        Check.StderrContains(refused,
            $"Error from server (Forbidden): pods is forbidden: User \"jane\" cannot list resource \"pods\" in API group \"\" in the namespace \"{other}\"");
    }

    [Fact]
    public async Task A_user_may_grant_only_what_it_holds()
    {
        var ns = await CreateNamespaceAsync("rbac-escalate");
        await Ok("apply", "-f", Manifest("rbac-delegator.yaml"), "-n", ns);

        await Ok("create", "role", "r2", "--verb=get", "--resource=pods", "-n", ns, "--as=jane");
        var role = await Fails("create", "role", "r3", "--verb=delete", "--resource=pods", "-n", ns, "--as=jane");
        var binding = await Fails("create", "rolebinding", "b", "--clusterrole=cluster-admin", "--user=jane", "-n", ns, "--as=jane");

        Check.StderrContains(role,
            "roles.rbac.authorization.k8s.io \"r3\" is forbidden: user \"jane\" (groups=[\"system:authenticated\"]) " +
            "is attempting to grant RBAC permissions not currently held:\n{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"delete\"]}");
        Check.StderrContains(binding,
            "rolebindings.rbac.authorization.k8s.io \"b\" is forbidden: user \"jane\" (groups=[\"system:authenticated\"]) " +
            "is attempting to grant RBAC permissions not currently held:\n{APIGroups:[\"*\"], Resources:[\"*\"], Verbs:[\"*\"]}");
    }
}
