using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Security;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Gantry.Tests.Security;

public sealed class RequestAttributesTests
{
    private static readonly ResourceType Pods = ResourceCatalog.Get("", "pods");

    [Theory]
    [InlineData("GET", null, null, "", "list")]
    [InlineData("GET", null, null, "?watch=true", "watch")]
    [InlineData("GET", null, null, "?watch=1", "watch")]
    [InlineData("GET", "web", null, "", "get")]
    [InlineData("POST", null, null, "", "create")]
    [InlineData("POST", "web", "binding", "", "create")]
    [InlineData("PUT", "web", "status", "", "update")]
    [InlineData("PATCH", "web", null, "", "patch")]
    [InlineData("DELETE", "web", null, "", "delete")]
    [InlineData("DELETE", null, null, "", "deletecollection")]
    public void The_verb_follows_the_method_and_whether_the_path_names_an_object(string method, string? name, string? subresource, string query, string verb)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.QueryString = new QueryString(query.Length == 0 ? null : query);

        var attributes = RequestAttributes.Of(context.Request, new ResourcePath(Pods, "default", name, subresource));

        Assert.Equal(verb, attributes.Verb);
        Assert.Equal(subresource is null ? "pods" : $"pods/{subresource}", attributes.QualifiedResource);
    }

    [Fact]
    public void A_namespace_is_in_its_own_namespace_so_that_a_role_binding_can_grant_reading_it()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";

        var attributes = RequestAttributes.Of(context.Request, new ResourcePath(ResourceCatalog.Get("", "namespaces"), null, "x", null));

        Assert.Equal("x", attributes.Namespace);
    }
}
