using System.Text.Json.Nodes;
using Gantry.Server.Registry.CustomResources.Schema;
using Xunit;

namespace Gantry.Tests.Registry.CustomResources;

public sealed class StructuralDefaultingTests
{
    // pkg/apiserver/schema/defaulting/algorithm.go and prunenulls.go.
    private static readonly StructuralSchema Schema = Schemas.WithSpec("""
        {"replicas":{"type":"integer","default":1},
         "mode":{"type":"string","default":"fast"},
         "optional":{"type":"string","nullable":true,"default":"d"},
         "plain":{"type":"string"},
         "resources":{"type":"object","default":{"cpu":"100m"},"properties":{"cpu":{"type":"string"},"memory":{"type":"string","default":"1Gi"}}},
         "ports":{"type":"array","items":{"type":"object","properties":{"protocol":{"type":"string","default":"TCP"},"port":{"type":"integer"}}}},
         "scores":{"type":"array","items":{"type":"integer","default":0}},
         "env":{"type":"object","additionalProperties":{"type":"string","default":"unset"}}}
        """);

    private static string Defaulted(string json)
    {
        var obj = Schemas.Object(json);
        StructuralDefaulting.ApplyDefaults(obj, Schema);
        return obj.ToJsonString();
    }

    [Fact]
    public void An_absent_property_takes_its_default()
    {
        Assert.Equal("""{"spec":{"replicas":3,"mode":"fast","optional":"d","resources":{"cpu":"100m","memory":"1Gi"}}}""", Defaulted("""{"spec":{"replicas":3}}"""));
    }

    [Fact]
    public void An_object_default_is_itself_defaulted_and_each_use_is_a_copy()
    {
        var first = Schemas.Object("""{"spec":{}}""");
        var second = Schemas.Object("""{"spec":{}}""");
        StructuralDefaulting.ApplyDefaults(first, Schema);
        StructuralDefaulting.ApplyDefaults(second, Schema);

        first["spec"]!["resources"]!["cpu"] = "2";

        Assert.Equal("""{"cpu":"100m","memory":"1Gi"}""", second["spec"]!["resources"]!.ToJsonString());
        Assert.Equal("""{"cpu":"100m"}""", Schema.Properties["spec"].Properties["resources"].Default!.ToJsonString());
    }

    [Fact]
    public void Array_items_and_map_values_are_defaulted()
    {
        Assert.Equal(
            """{"spec":{"ports":[{"port":80,"protocol":"TCP"},{"protocol":"UDP"}],"env":{"A":"1"},"replicas":1,"mode":"fast","optional":"d","resources":{"cpu":"100m","memory":"1Gi"}}}""",
            Defaulted("""{"spec":{"ports":[{"port":80},{"protocol":"UDP"}],"env":{"A":"1"}}}"""));
    }

    [Fact]
    public void A_null_where_the_schema_is_not_nullable_takes_the_default()
    {
        Assert.Equal(
            """{"spec":{"mode":"fast","scores":[0,5],"env":{"A":"unset"},"replicas":1,"optional":"d","resources":{"cpu":"100m","memory":"1Gi"}}}""",
            Defaulted("""{"spec":{"mode":null,"scores":[null,5],"env":{"A":null}}}"""));
    }

    [Fact]
    public void A_null_where_the_schema_is_nullable_stays_null()
    {
        var obj = Schemas.Object("""{"spec":{"optional":null}}""");

        StructuralDefaulting.ApplyDefaults(obj, Schema);

        Assert.True(obj["spec"]!.AsObject().TryGetPropertyValue("optional", out var value));
        Assert.Null(value);
    }

    [Fact]
    public void Nulls_neither_nullable_nor_defaulted_are_dropped_and_defaulted_ones_kept_for_defaulting()
    {
        var obj = Schemas.Object("""{"spec":{"plain":null,"mode":null,"optional":null,"ports":[{"port":null}]}}""");

        StructuralDefaulting.DropNonNullableNulls(obj, Schema);

        Assert.Equal("""{"spec":{"mode":null,"optional":null,"ports":[{}]}}""", obj.ToJsonString());
    }

    [Fact]
    public void Nothing_is_defaulted_under_a_value_of_the_wrong_type()
    {
        var obj = new JsonObject { ["spec"] = "not an object" };

        StructuralDefaulting.ApplyDefaults(obj, Schema);

        Assert.Equal("""{"spec":"not an object"}""", obj.ToJsonString());
    }
}
