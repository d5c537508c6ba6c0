using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api.OpenApi;
using Xunit;

namespace Gantry.Tests.Api;

public sealed class OpenApiV3Tests
{
    private const string PodSchema = "io.k8s.api.core.v1.Pod";

    [Fact]
    public void Core_document_has_the_pod_schema_with_its_group_version_kind()
    {
        var pod = Schemas("api/v1")[PodSchema]!;

        var gvk = Assert.Single(pod["x-kubernetes-group-version-kind"]!.AsArray())!;
        Assert.Equal("", (string?)gvk["group"]);
        Assert.Equal("v1", (string?)gvk["version"]);
        Assert.Equal("Pod", (string?)gvk["kind"]);
        Assert.Equal("#/components/schemas/io.k8s.api.core.v1.PodSpec", (string?)pod["properties"]!["spec"]!["allOf"]![0]!["$ref"]);
        Assert.Equal("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
            (string?)pod["properties"]!["metadata"]!["allOf"]![0]!["$ref"]);
    }

    [Fact]
    public void Pod_spec_containers_is_a_list_of_containers_merged_by_name()
    {
        var containers = Schemas("api/v1")["io.k8s.api.core.v1.PodSpec"]!["properties"]!["containers"]!;

        Assert.Equal("array", (string?)containers["type"]);
        Assert.Equal("#/components/schemas/io.k8s.api.core.v1.Container", (string?)containers["items"]!["$ref"]);
        Assert.Equal("name", (string?)containers["x-kubernetes-patch-merge-key"]);
        Assert.Equal("merge", (string?)containers["x-kubernetes-patch-strategy"]);
    }

    [Fact]
    public void Descriptions_come_from_the_model_documentation()
    {
        var schemas = Schemas("api/v1");

        Assert.StartsWith("Pod is a collection of containers", (string?)schemas[PodSchema]!["description"], StringComparison.Ordinal);
        Assert.Contains("DNS_LABEL", (string?)schemas["io.k8s.api.core.v1.Container"]!["properties"]!["name"]!["description"], StringComparison.Ordinal);
    }

    [Fact]
    public void Field_types_follow_the_kubernetes_conventions()
    {
        var schemas = Schemas("api/v1");
        var container = schemas["io.k8s.api.core.v1.Container"]!["properties"]!;
        var meta = schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]!["properties"]!;

        Assert.Equal("string", (string?)meta["creationTimestamp"]!["type"]);
        Assert.Equal("date-time", (string?)meta["creationTimestamp"]!["format"]);
        Assert.Equal("object", (string?)meta["labels"]!["type"]);
        Assert.Equal("string", (string?)meta["labels"]!["additionalProperties"]!["type"]);
        Assert.Equal("boolean", (string?)container["stdin"]!["type"]);
        Assert.Equal("byte", (string?)schemas["io.k8s.api.core.v1.Secret"]!["properties"]!["data"]!["additionalProperties"]!["format"]);
        Assert.Equal("#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity",
            (string?)schemas["io.k8s.api.core.v1.ResourceRequirements"]!["properties"]!["limits"]!["additionalProperties"]!["$ref"]);
        Assert.True((bool)schemas["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]!["x-kubernetes-int-or-string"]!);
        Assert.Equal("int64", (string?)schemas["io.k8s.api.core.v1.PodSpec"]!["properties"]!["activeDeadlineSeconds"]!["format"]);
    }

    [Fact]
    public void Every_patch_operation_accepts_field_validation_and_every_patch_type()
    {
        foreach (var (_, document) in AllDocuments())
        {
            var patches = document["paths"]!.AsObject().Select(p => p.Value!["patch"]).OfType<JsonObject>().ToList();
            Assert.NotEmpty(patches);
            foreach (var patch in patches)
            {
                Assert.Contains("fieldValidation", patch["parameters"]!.AsArray().Select(p => (string?)p!["name"]));
                Assert.NotNull(patch["x-kubernetes-group-version-kind"]);
                var content = patch["requestBody"]!["content"]!.AsObject();
                Assert.True(content.ContainsKey("application/strategic-merge-patch+json"));
                Assert.True(content.ContainsKey("application/apply-patch+yaml"));
                Assert.True(content.ContainsKey("application/merge-patch+json"));
                Assert.True(content.ContainsKey("application/json-patch+json"));
            }
        }
    }

    [Fact]
    public void Deployment_paths_carry_the_kind_and_scale_carries_autoscaling_scale()
    {
        var paths = Document("apis/apps/v1")["paths"]!;

        var item = paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]!;
        Assert.Equal("Deployment", (string?)item["get"]!["x-kubernetes-group-version-kind"]!["kind"]);
        Assert.Equal("apps", (string?)item["put"]!["x-kubernetes-group-version-kind"]!["group"]);
        Assert.NotNull(item["delete"]);
        Assert.NotNull(paths["/apis/apps/v1/namespaces/{namespace}/deployments"]!["post"]);
        Assert.NotNull(paths["/apis/apps/v1/deployments"]!["get"]);
        var scale = paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"]!["patch"]!;
        Assert.Equal("autoscaling", (string?)scale["x-kubernetes-group-version-kind"]!["group"]);
        Assert.NotNull(Schemas("apis/apps/v1")["io.k8s.api.autoscaling.v1.Scale"]);
    }

    [Fact]
    public void Every_served_kind_has_a_schema_in_its_group_version_document()
    {
        foreach (var type in ResourceCatalog.Types)
        {
            var path = type.Group.Length == 0 ? $"api/{type.Version}" : $"apis/{type.Group}/{type.Version}";
            var matches = Schemas(path).Where(s => s.Value!["x-kubernetes-group-version-kind"] is JsonArray gvks
                && gvks.Any(g => (string?)g!["group"] == type.Group && (string?)g["version"] == type.Version
                    && (string?)g["kind"] == type.Kind));
            Assert.Single(matches);
        }
    }

    [Fact]
    public void Every_reference_resolves_within_its_document()
    {
        foreach (var (path, document) in AllDocuments())
        {
            var schemas = document["components"]!["schemas"]!.AsObject();
            foreach (var reference in References(document))
            {
                Assert.True(schemas.ContainsKey(reference["#/components/schemas/".Length..]), $"{path}: {reference}");
            }
        }
    }

    [Fact]
    public void Index_points_at_each_document_with_its_hash()
    {
        var index = JsonNode.Parse(OpenApiV3.Index)!["paths"]!.AsObject();

        Assert.Equal(ResourceCatalog.GroupVersions.Count, index.Count);
        var core = OpenApiV3.Find("api/v1")!;
        Assert.Equal($"/openapi/v3/api/v1?hash={core.Hash}", (string?)index["api/v1"]!["serverRelativeURL"]);
        Assert.Equal(128, core.Hash.Length);
        Assert.NotNull(index["apis/coordination.k8s.io/v1"]);
    }

    [Fact]
    public void Unknown_document_paths_are_not_found()
    {
        Assert.Null(OpenApiV3.Find("apis/apps/v2"));
        Assert.NotNull(OpenApiV3.Find("/apis/apps/v1"));
    }

    [Fact]
    public void OpenApi_v2_is_an_empty_protobuf_document_with_a_type_go_can_parse()
    {
        Assert.Empty(OpenApiV2.Body);
        Assert.DoesNotContain("@", OpenApiV2.ContentType, StringComparison.Ordinal);
        Assert.Equal("application/com.github.proto-openapi.spec.v2.v1.0+protobuf", OpenApiV2.ContentType);
    }

    private static IEnumerable<(string Path, JsonObject Document)> AllDocuments() =>
        JsonNode.Parse(OpenApiV3.Index)!["paths"]!.AsObject().Select(p => (p.Key, Document(p.Key)));

    private static JsonObject Document(string path) => JsonNode.Parse(OpenApiV3.Find(path)!.Body)!.AsObject();

    private static JsonObject Schemas(string path) => Document(path)["components"]!["schemas"]!.AsObject();

    private static IEnumerable<string> References(JsonNode? node) => node switch
    {
        // JSONSchemaProps has a property named "$ref" too: a reference is a string.
        JsonObject obj => obj.SelectMany(p => p.Key == "$ref" && p.Value is JsonValue ? [(string)p.Value!] : References(p.Value)),
        JsonArray array => array.SelectMany(References),
        _ => [],
    };
}
