using System.Text.Json.Nodes;
using Gantry.Server.Registry.CustomResources.Schema;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Registry.CustomResources;

public sealed class StructuralSchemaTests
{
    [Fact]
    public void Members_typed_object_in_the_client_model_are_read_from_json_elements()
    {
        var schema = Schemas.Parse("""
            {"type":"object","properties":{"spec":{"type":"object",
              "additionalProperties":{"type":"string","default":"x"},
              "properties":{"list":{"type":"array","items":{"type":"integer","enum":[1,2]}}}}}}
            """);

        var spec = schema.Properties["spec"];
        Assert.Equal("string", spec.AdditionalProperties!.Schema!.Type);
        Assert.Equal("\"x\"", spec.AdditionalProperties.Schema.Default!.ToJsonString());
        Assert.Equal("integer", spec.Properties["list"].Items!.Type);
        Assert.Equal(["1", "2"], spec.Properties["list"].Items!.Enum!.Select(e => e!.ToJsonString()));
    }

    [Fact]
    public void Members_built_in_code_as_models_or_nodes_are_read_too()
    {
        var schema = StructuralSchema.From(new V1JSONSchemaProps
        {
            Type = "array",
            Items = new V1JSONSchemaProps { Type = "object", AdditionalProperties = true, DefaultProperty = new JsonObject { ["a"] = 1 } },
        });

        Assert.Equal(new SchemaOrBool(true, null), schema.Items!.AdditionalProperties);
        Assert.Equal("""{"a":1}""", schema.Items.Default!.ToJsonString());
    }

    [Fact]
    public void The_extensions_are_read_from_their_x_kubernetes_names()
    {
        var schema = Schemas.Parse("""
            {"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
             "items":{"type":"object","x-kubernetes-preserve-unknown-fields":true,"x-kubernetes-embedded-resource":true,
               "properties":{"port":{"x-kubernetes-int-or-string":true}}}}
            """);

        Assert.Equal("map", schema.ListType);
        Assert.Equal(["name"], schema.ListMapKeys);
        Assert.True(schema.Items!.PreserveUnknownFields);
        Assert.True(schema.Items.EmbeddedResource);
        Assert.True(schema.Items.Properties["port"].IntOrString);
    }

    [Fact]
    public void A_default_is_pruned_by_its_own_schema_when_the_schema_is_built()
    {
        // customresource_handler.go runs defaulting.PruneDefaults over every served schema.
        var schema = Schemas.WithSpec("""{"limits":{"type":"object","properties":{"cpu":{"type":"string"}},"default":{"cpu":"1","bogus":true}}}""");

        Assert.Equal("""{"cpu":"1"}""", schema.Properties["spec"].Properties["limits"].Default!.ToJsonString());
    }

    [Fact]
    public void A_json_null_default_is_no_default()
    {
        var schema = Schemas.WithSpec("""{"a":{"type":"string","nullable":true,"default":null}}""");

        Assert.Null(schema.Properties["spec"].Properties["a"].Default);
    }
}
