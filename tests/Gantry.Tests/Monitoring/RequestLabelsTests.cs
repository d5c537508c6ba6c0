using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Monitoring;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Gantry.Tests.Monitoring;

public sealed class RequestLabelsTests
{
    private static readonly ResourceType Pods = ResourceCatalog.Get("", "pods");
    private static readonly ResourceType Nodes = ResourceCatalog.Get("", "nodes");

    [Theory]
    [InlineData("GET", "default", null, null, "", "LIST", "namespace")]
    [InlineData("GET", null, null, null, "", "LIST", "cluster")]
    [InlineData("GET", "default", null, null, "?watch=true", "WATCH", "namespace")]
    [InlineData("GET", "default", "web", null, "", "GET", "resource")]
    [InlineData("GET", "default", "web", "log", "", "GET", "resource")]
    [InlineData("POST", "default", null, null, "", "POST", "resource")]
    [InlineData("PUT", "default", "web", "status", "", "PUT", "resource")]
    [InlineData("PATCH", "default", "web", null, "", "PATCH", "resource")]
    [InlineData("DELETE", "default", "web", null, "", "DELETE", "resource")]
    [InlineData("DELETE", "default", null, null, "", "DELETECOLLECTION", "namespace")]
    [InlineData("POST", "default", "web", "exec", "", "CONNECT", "resource")]
    [InlineData("GET", "default", "web", "portforward", "", "CONNECT", "resource")]
    public void A_resource_requests_verb_and_scope_are_the_apiservers_metric_labels(
        string method, string? ns, string? name, string? subresource, string query, string verb, string scope)
    {
        var labels = RequestLabels.Of(Request(method, query), new ResourcePath(Pods, ns, name, subresource));

        Assert.Equal(verb, labels.Verb);
        Assert.Equal(scope, labels.Scope);
        Assert.Equal(subresource ?? "", labels.Subresource);
        Assert.Equal(("pods", "", "v1"), (labels.Resource, labels.Group, labels.Version));
    }

    [Fact]
    public void A_server_side_apply_is_counted_as_APPLY()
    {
        var request = Request("PATCH", "");
        request.ContentType = "application/apply-patch+yaml";

        Assert.Equal("APPLY", RequestLabels.Of(request, new ResourcePath(Nodes, null, "n1", null)).Verb);
    }

    [Fact]
    public void A_dry_run_is_labelled_All()
    {
        Assert.Equal("All", RequestLabels.Of(Request("POST", "?dryRun=All"), new ResourcePath(Pods, "default", null, null)).DryRun);
        Assert.Equal("", RequestLabels.Of(Request("POST", ""), new ResourcePath(Pods, "default", null, null)).DryRun);
    }

    [Theory]
    [InlineData("/healthz", "/healthz")]
    [InlineData("/apis/apps/v1", "/apis")]
    [InlineData("/version", "/version")]
    public void A_request_outside_the_resource_API_is_labelled_by_its_paths_root(string path, string subresource)
    {
        var request = Request("GET", "");
        request.Path = path;

        var labels = RequestLabels.OfNonResource(request);

        Assert.Equal(new RequestLabels("GET", "", "", "", "", subresource, ""), labels);
    }

    [Fact]
    public void A_path_the_server_does_not_serve_is_not_counted()
    {
        var request = Request("GET", "");
        request.Path = "/no/such/thing";

        Assert.Null(RequestLabels.OfNonResource(request));
    }

    private static HttpRequest Request(string method, string query)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        return context.Request;
    }
}
