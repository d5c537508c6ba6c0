using System.Text.Json.Nodes;
using Gantry.Server.Api.OpenApi;
using Gantry.Server.Registry.CustomResources;
using Xunit;

namespace Gantry.Tests.Api.CustomResources;

public sealed class CustomResourceOpenApiTests
{
    private static readonly CustomResourceTypeSet CronTabs = new([.. CustomResourceTypes.TypesOf(CustomResourceDefinitions.CronTabs())]);

    private static JsonObject Document() => JsonNode.Parse(OpenApiV3.Find("apis/stable.example.com/v1", CronTabs)!.Body)!.AsObject();

    [Fact]
    public void The_index_lists_the_custom_group_version_after_the_built_in_ones()
    {
        var paths = JsonNode.Parse(OpenApiV3.IndexWith(CronTabs))!["paths"]!.AsObject();

        Assert.Equal("apis/stable.example.com/v1", paths.Last().Key);
        Assert.True(paths.ContainsKey("api/v1"));
    }

    [Fact]
    public void The_kind_schema_is_the_versions_schema_with_type_meta_object_meta_and_its_group_version_kind()
    {
        var kind = Document()["components"]!["schemas"]!["com.example.stable.v1.CronTab"]!;

        Assert.Equal("object", (string?)kind["type"]);
        Assert.Equal("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", (string?)kind["properties"]!["metadata"]!["$ref"]);
        Assert.Equal("string", (string?)kind["properties"]!["apiVersion"]!["type"]);
        Assert.Equal("CronTab", (string?)kind["x-kubernetes-group-version-kind"]![0]!["kind"]);
    }

    [Fact]
    public void Patches_of_a_custom_resource_offer_no_strategic_merge_patch()
    {
        var patch = Document()["paths"]!["/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}"]!["patch"]!;

        var types = patch["requestBody"]!["content"]!.AsObject().Select(p => p.Key).ToList();
        Assert.DoesNotContain("application/strategic-merge-patch+json", types);
        Assert.Contains("application/merge-patch+json", types);
        Assert.Contains(patch["parameters"]!.AsArray(), p => (string?)p!["name"] == "fieldValidation");
    }

    [Fact]
    public void Every_reference_in_a_custom_document_resolves_within_it()
    {
        var document = Document();
        var schemas = document["components"]!["schemas"]!.AsObject();

        Assert.All(References(document), r => Assert.True(schemas.ContainsKey(r["#/components/schemas/".Length..]), r));
        Assert.True(document["paths"]!.AsObject().ContainsKey("/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}/status"));
    }

    private static IEnumerable<string> References(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => p.Key == "$ref" && p.Value is JsonValue ? [(string)p.Value!] : References(p.Value)),
        JsonArray array => array.SelectMany(References),
        _ => [],
    };
}
