using Gantry.Server.Api;
using Gantry.Server.Security;
using Gantry.Server.Storage;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Gantry.Tests.Security;

/// <summary>The order of kube-apiserver's authorizer chain: the admin first and at no cost, then nodes, then RBAC.</summary>
public sealed class RequestAuthorizerTests
{
    private const string Rbac = "rbac.authorization.k8s.io";

    private static readonly RequestUser Prometheus = new("prometheus", [RequestUser.Authenticated]);

    /// <summary>A policy source that fails the test if it is ever asked.</summary>
    private sealed class Unreachable : IRbacPolicySource
    {
        public RbacPolicy Policy => throw new InvalidOperationException("RBAC was consulted");
    }

    private sealed class Fixed(RbacPolicy policy) : IRbacPolicySource
    {
        public RbacPolicy Policy => policy;
    }

    private static RbacPolicy MetricsReader => RbacPolicy.From(
        [],
        [new V1ClusterRole { Metadata = new V1ObjectMeta { Name = "metrics-reader" }, Rules = [new V1PolicyRule { Verbs = ["get"], NonResourceURLs = ["/metrics"] }] }],
        [],
        [new V1ClusterRoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "prometheus" },
            RoleRef = new V1RoleRef { ApiGroup = Rbac, Kind = "ClusterRole", Name = "metrics-reader" },
            Subjects = [new Rbacv1Subject { Kind = "User", ApiGroup = Rbac, Name = "prometheus" }],
        }]);

    private static DefaultHttpContext Get(RequestUser user, string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = path;
        user.AttachTo(context);
        return context;
    }

    /// <summary>No request here is a node's, so the node role's cache is never read.</summary>
    private static RequestAuthorizer Authorizer(IRbacPolicySource rbac) =>
        new(new NodeRole(new WatchCache(null!, [], null!, NullLogger.Instance)), rbac);

    [Fact]
    public void The_admins_requests_never_consult_rbac() =>
        Assert.True(Authorizer(new Unreachable()).Allows(RequestUser.Admin, new("delete", "apps", "deployments", null, "default", "web")));

    [Fact]
    public void A_path_outside_the_api_is_allowed_to_whoever_a_cluster_role_binding_grants_it() =>
        Authorizer(new Fixed(MetricsReader)).AuthorizeNonResource(Get(Prometheus, "/metrics"));

    [Fact]
    public void A_path_outside_the_api_is_refused_in_kubes_words()
    {
        var error = Assert.Throws<ApiException>(() => Authorizer(new Fixed(MetricsReader)).AuthorizeNonResource(Get(Prometheus, "/debug/pprof")));

        Assert.Equal("forbidden: User \"prometheus\" cannot get path \"/debug/pprof\"", error.Message);
    }
}
