using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Security;
using Gantry.Tests.Registry;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Gantry.Tests.Security;

/// <summary><c>kubectl --as</c>: a request runs as another user once its own user may impersonate that one.</summary>
public sealed class ImpersonationTests : IAsyncLifetime
{
    private static readonly RequestUser Bob = new("bob", [RequestUser.Authenticated]);

    private RegistryTestContext _context = null!;
    private Impersonation _impersonation = null!;

    public async Task InitializeAsync()
    {
        _context = await RegistryTestContext.StartAsync();
        _impersonation = new Impersonation(new RequestAuthorizer(new NodeRole(_context.Cache), new StoredRbacPolicy(_context)));
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    /// <summary>The user the request ran as, after the impersonation filter.</summary>
    private async Task<RequestUser> RunAsAsync(RequestUser sender, params (string Header, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        sender.AttachTo(context);
        foreach (var group in headers.GroupBy(h => h.Header))
        {
            context.Request.Headers[group.Key] = group.Select(h => h.Value).ToArray();
        }

        RequestUser? ranAs = null;
        await _impersonation.InvokeAsync(context, () =>
        {
            ranAs = RequestUser.Of(context);
            return Task.CompletedTask;
        });
        return ranAs!;
    }

    private async Task AllowBobToImpersonateAsync(string resource)
    {
        await _context.CreateAsync(ResourceCatalog.Get("rbac.authorization.k8s.io", "clusterroles"), new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "impersonator" },
            ["rules"] = new JsonArray(new JsonObject { ["verbs"] = new JsonArray("impersonate"), ["apiGroups"] = new JsonArray(""), ["resources"] = new JsonArray(resource) }),
        });
        await _context.CreateAsync(ResourceCatalog.Get("rbac.authorization.k8s.io", "clusterrolebindings"), new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "impersonator" },
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = "impersonator" },
            ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "User", ["apiGroup"] = "rbac.authorization.k8s.io", ["name"] = "bob" }),
        });
    }

    [Fact]
    public async Task A_request_without_impersonation_headers_runs_as_its_user() =>
        Assert.Same(Bob, await RunAsAsync(Bob));

    [Fact]
    public async Task The_admin_may_run_a_request_as_any_user_who_is_then_authenticated()
    {
        var user = await RunAsAsync(RequestUser.Admin, (Impersonation.UserHeader, "jane"));

        Assert.Equal("jane", user.Name);
        Assert.Equal([RequestUser.Authenticated], user.Groups);
    }

    [Fact]
    public async Task Impersonated_groups_are_the_users_groups() =>
        Assert.Equal(["devs", "ops", RequestUser.Authenticated],
            (await RunAsAsync(RequestUser.Admin, (Impersonation.UserHeader, "jane"), (Impersonation.GroupHeader, "devs"), (Impersonation.GroupHeader, "ops"))).Groups);

    [Fact]
    public async Task An_impersonated_service_account_is_in_its_namespaces_service_account_groups() =>
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:ci", RequestUser.Authenticated],
            (await RunAsAsync(RequestUser.Admin, (Impersonation.UserHeader, "system:serviceaccount:ci:builder"))).Groups);

    [Fact]
    public async Task A_user_without_the_impersonate_right_is_refused_in_kubes_words()
    {
        var error = await Assert.ThrowsAsync<ApiException>(() => RunAsAsync(Bob, (Impersonation.UserHeader, "jane")));

        Assert.Equal(403, error.Code);
        Assert.Equal("users \"jane\" is forbidden: User \"bob\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope", error.Message);
    }

    [Fact]
    public async Task A_user_bound_to_impersonate_users_may_impersonate_one()
    {
        await AllowBobToImpersonateAsync("users");

        Assert.Equal("jane", (await RunAsAsync(Bob, (Impersonation.UserHeader, "jane"))).Name);
    }

    [Fact]
    public async Task Impersonating_users_does_not_allow_impersonating_groups()
    {
        await AllowBobToImpersonateAsync("users");

        var error = await Assert.ThrowsAsync<ApiException>(() => RunAsAsync(Bob, (Impersonation.UserHeader, "jane"), (Impersonation.GroupHeader, "system:masters")));

        Assert.StartsWith("groups \"system:masters\" is forbidden", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Groups_without_a_user_are_an_error()
    {
        var error = await Assert.ThrowsAsync<ApiException>(() => RunAsAsync(RequestUser.Admin, (Impersonation.GroupHeader, "devs")));

        Assert.Equal("Internal error occurred: requested [{Group  devs    }] without impersonating a user", error.Message);
    }
}
