using Gantry.Server.Registry.CustomResources.Schema;
using Xunit;

namespace Gantry.Tests.Registry.CustomResources;

/// <summary>kube's CRD validation ratcheting (KEP-4008) of the schema's errors on an update.</summary>
public sealed class SchemaRatchetTests
{
    private static readonly StructuralSchema Schema = Schemas.Parse("""
        {"type":"object","properties":{"spec":{"type":"object","required":["owner"],"properties":{
          "mode":{"type":"string","enum":["fast","slow"]},
          "owner":{"type":"string"},
          "replicas":{"type":"integer"},
          "ports":{"type":"array","items":{"type":"integer","maximum":65535}},
          "tags":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string","maxLength":3}},
          "routes":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
            "items":{"type":"object","required":["name"],"properties":{"name":{"type":"string"},"weight":{"type":"integer","minimum":0}}}}}}}}
        """);

    private static string[] Update(string spec, string oldSpec) =>
        StructuralValidation.Validate(Object(spec), Schema, () => Object(oldSpec)).Select(e => e.ToString()).ToArray();

    private static System.Text.Json.Nodes.JsonObject Object(string spec) =>
        Schemas.Object("""{"apiVersion":"x.example.com/v1","kind":"X","metadata":{"name":"a"},"spec":""" + spec + "}");

    [Fact]
    public void An_invalid_value_the_update_kept_is_not_refused() =>
        Assert.Empty(Update("""{"owner":"a","mode":"legacy","replicas":2}""", """{"owner":"a","mode":"legacy","replicas":1}"""));

    [Fact]
    public void An_invalid_value_the_update_changed_is_refused() =>
        Assert.Equal(["spec.mode: Unsupported value: \"older\": supported values: \"fast\", \"slow\""],
            Update("""{"owner":"a","mode":"older"}""", """{"owner":"a","mode":"legacy"}"""));

    [Fact]
    public void A_required_field_missing_before_and_after_is_refused_once_its_parent_changed() =>
        Assert.Equal(["spec.owner: Required value"], Update("""{"replicas":2}""", """{"replicas":1}"""));

    [Fact]
    public void A_required_field_missing_from_an_unchanged_parent_is_not_refused() =>
        Assert.Empty(StructuralValidation.Validate(
            Schemas.Object("""{"apiVersion":"x.example.com/v1","kind":"X","metadata":{"name":"a","labels":{"new":"x"}},"spec":{"replicas":1}}"""),
            Schema, () => Object("""{"replicas":1}""")));

    [Fact]
    public void List_items_are_told_apart_by_index_map_lists_by_key_and_set_items_not_at_all()
    {
        Assert.Empty(Update("""{"owner":"a","ports":[70000,81]}""", """{"owner":"a","ports":[70000,80]}"""));
        Assert.Empty(Update("""{"owner":"a","routes":[{"name":"b","weight":1},{"name":"a","weight":-1}]}""", """{"owner":"a","routes":[{"name":"a","weight":-1}]}"""));
        Assert.Equal(["spec.tags[0]: Too long: may not be more than 3 bytes"], Update("""{"owner":"a","tags":["long","x"]}""", """{"owner":"a","tags":["long"]}"""));
    }

    [Fact]
    public void Duplicates_in_a_set_are_refused_on_update_only_when_the_old_object_had_none()
    {
        Assert.Empty(Update("""{"owner":"a","tags":["x","x"],"replicas":2}""", """{"owner":"a","tags":["x","x"]}"""));
        Assert.Equal(["spec.tags[1]: Duplicate value: \"x\""], Update("""{"owner":"a","tags":["x","x"]}""", """{"owner":"a","tags":["x"]}"""));
    }

    [Fact]
    public void A_status_write_answers_for_the_status_alone() =>
        Assert.Empty(Schemas.Parse("""{"type":"object","properties":{"spec":{"type":"object","required":["owner"]},"status":{"type":"object"}}}""") is var schema
            ? StructuralValidation.Validate(
                Schemas.Object("""{"apiVersion":"x.example.com/v1","kind":"X","metadata":{"name":"a"},"spec":{},"status":{"ready":true}}"""),
                schema, () => Schemas.Object("""{"apiVersion":"x.example.com/v1","kind":"X","metadata":{"name":"a"},"spec":{"other":1}}"""), statusOnly: true)
            : []);

    [Fact]
    public void A_map_list_item_without_its_key_is_not_told_apart_from_the_old_ones() =>
        Assert.Contains("spec.routes[0].name: Required value",
            Update("""{"owner":"a","routes":[{"weight":-1}],"replicas":2}""", """{"owner":"a","routes":[{"weight":-1}]}"""));
}
