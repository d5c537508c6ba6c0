using Gantry.Server.Api;
using Xunit;

namespace Gantry.Tests.Api;

public sealed class ResourcePathTests
{
    /// <summary>Parses a full request path the way the dispatcher splits it: /api/{version}/… or /apis/{group}/{version}/….</summary>
    private static ResourcePath? Parse(string path)
    {
        var segments = path.Trim('/').Split('/');
        return segments[0] == "api"
            ? ResourcePath.Parse("", segments[1], segments.AsSpan(2))
            : ResourcePath.Parse(segments[1], segments[2], segments.AsSpan(3));
    }

    private static (string Plural, string? Namespace, string? Name, string? Subresource) Parts(string path)
    {
        var parsed = Parse(path);
        Assert.NotNull(parsed);
        return (parsed.Type.Plural, parsed.Namespace, parsed.Name, parsed.Subresource);
    }

    [Fact]
    public void A_pod_subresource_path_names_the_pod_its_namespace_and_the_subresource() =>
        Assert.Equal(("pods", "default", "web", "log"), Parts("/api/v1/namespaces/default/pods/web/log"));

    [Fact]
    public void A_namespaced_object_path_names_the_object() =>
        Assert.Equal(("configmaps", "default", "x", null), Parts("/api/v1/namespaces/default/configmaps/x"));

    [Fact]
    public void A_namespaced_collection_path_names_the_namespace_only() =>
        Assert.Equal(("pods", "default", null, null), Parts("/api/v1/namespaces/default/pods"));

    [Fact]
    public void A_namespace_path_names_the_namespace_object() =>
        Assert.Equal(("namespaces", null, "kube-system", null), Parts("/api/v1/namespaces/kube-system"));

    [Fact]
    public void The_namespaces_collection_is_cluster_scoped() =>
        Assert.Equal(("namespaces", null, null, null), Parts("/api/v1/namespaces"));

    [Fact]
    public void A_namespace_status_path_addresses_the_namespace_itself() =>
        Assert.Equal(("namespaces", null, "x", "status"), Parts("/api/v1/namespaces/x/status"));

    [Fact]
    public void A_namespace_finalize_path_addresses_the_namespace_itself() =>
        Assert.Equal(("namespaces", null, "x", "finalize"), Parts("/api/v1/namespaces/x/finalize"));

    [Fact]
    public void A_node_status_path_names_the_node_and_the_subresource() =>
        Assert.Equal(("nodes", null, "n1", "status"), Parts("/api/v1/nodes/n1/status"));

    [Fact]
    public void A_grouped_collection_without_a_namespace_spans_all_namespaces()
    {
        var parsed = Parse("/apis/apps/v1/deployments");

        Assert.NotNull(parsed);
        Assert.Equal("apps", parsed.Type.Group);
        Assert.Equal(("deployments", null, null, null), (parsed.Type.Plural, parsed.Namespace, parsed.Name, parsed.Subresource));
    }

    [Fact]
    public void A_grouped_namespaced_subresource_path_is_parsed() =>
        Assert.Equal(("deployments", "default", "web", "scale"), Parts("/apis/apps/v1/namespaces/default/deployments/web/scale"));

    [Fact]
    public void An_unknown_plural_is_not_a_resource() =>
        Assert.Null(Parse("/api/v1/namespaces/default/widgets"));

    [Fact]
    public void A_plural_in_the_wrong_group_is_not_a_resource() =>
        Assert.Null(Parse("/api/v1/deployments"));

    [Fact]
    public void An_unknown_version_is_not_a_resource() =>
        Assert.Null(Parse("/apis/apps/v1beta1/deployments"));

    [Fact]
    public void A_namespaced_path_to_a_cluster_scoped_type_is_not_a_resource() =>
        Assert.Null(Parse("/api/v1/namespaces/default/nodes/n1"));

    [Fact]
    public void An_unknown_subresource_is_not_a_resource() =>
        Assert.Null(Parse("/api/v1/namespaces/default/pods/web/bogus"));

    [Fact]
    public void A_path_deeper_than_a_subresource_is_not_a_resource() =>
        Assert.Null(Parse("/api/v1/namespaces/default/pods/web/log/more"));

    [Fact]
    public void A_namespace_status_path_in_a_named_group_is_not_a_resource() =>
        Assert.Null(Parse("/apis/apps/v1/namespaces/x/status"));

    [Fact]
    public void A_version_served_by_conversion_addresses_the_stored_type_and_keeps_the_version_asked()
    {
        var path = Parse("/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/web/status");

        Assert.NotNull(path);
        Assert.Equal(("autoscaling/v2", "autoscaling/v1", "status"), (path.Type.ApiVersion, path.Served.ApiVersion, path.Subresource));
        Assert.NotNull(path.Conversion);
    }

    [Fact]
    public void A_stored_version_path_has_no_conversion()
    {
        var path = Parse("/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/web");

        Assert.NotNull(path);
        Assert.Same(path.Type, path.Served);
        Assert.Null(path.Conversion);
    }

    [Fact]
    public async Task A_body_of_the_stored_version_is_stored_as_it_is_on_a_converted_version_path()
    {
        var path = Parse("/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers")!;
        var body = new System.Text.Json.Nodes.JsonObject { ["apiVersion"] = "autoscaling/v2", ["kind"] = "HorizontalPodAutoscaler" };

        Assert.Same(body, await path.ToStoredAsync(body, new Gantry.Server.Registry.WriteOptions(), CancellationToken.None));
    }

    [Fact]
    public async Task A_status_answer_is_not_converted()
    {
        var path = Parse("/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/web")!;
        var status = new System.Text.Json.Nodes.JsonObject { ["apiVersion"] = "v1", ["kind"] = "Status" };

        Assert.Same(status, await path.ToServedAsync(status, CancellationToken.None));
    }
}
