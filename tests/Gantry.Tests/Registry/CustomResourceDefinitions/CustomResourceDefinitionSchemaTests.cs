using System.Text.Json.Nodes;
using Xunit;
using static Gantry.Tests.Registry.CustomResourceDefinitions.CrdFixture;

namespace Gantry.Tests.Registry.CustomResourceDefinitions;

/// <summary>kube's checks of a CRD's openAPIV3Schema: structural rules, refused OpenAPI features and the x-kubernetes extensions.</summary>
public sealed class CustomResourceDefinitionSchemaTests
{
    private const string Root = "spec.validation.openAPIV3Schema";

    private static List<string> Errors(string schemaJson, Action<JsonObject>? edit = null) => CreateErrors(WithSchema(schemaJson, edit));

    [Fact]
    public void A_realistic_schema_with_the_kubernetes_extensions_is_valid()
    {
        Assert.Empty(Errors("""
            {"type":"object","properties":{
              "metadata":{"type":"object","properties":{"name":{"type":"string","maxLength":63}}},
              "spec":{"type":"object","required":["port"],"properties":{
                "port":{"x-kubernetes-int-or-string":true,"anyOf":[{"type":"integer"},{"type":"string"}]},
                "config":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
                "labels":{"type":"object","additionalProperties":{"type":"string"}},
                "replicas":{"type":"integer","default":1,"minimum":0},
                "ports":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
                  "items":{"type":"object","required":["name"],"properties":{"name":{"type":"string"},"port":{"type":"integer"}}}},
                "tags":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}},
                "mode":{"type":"string","enum":["a","b"],"pattern":"^[ab]$"}},
                "x-kubernetes-validations":[{"rule":"self.replicas >= 0","message":"no negative replicas"}],
                "oneOf":[{"required":["replicas"]},{"required":["config"]}]},
              "status":{"type":"object","properties":{"replicas":{"type":"integer"}}}}}
            """, c => Version(c, 0)["subresources"] = JsonNode.Parse("""{"status":{},"scale":{"specReplicasPath":".spec.replicas","statusReplicasPath":".status.replicas"}}""")));
    }

    [Fact]
    public void A_single_versions_schema_is_reported_under_spec_validation_as_kube_hoists_it()
    {
        Assert.Equal([Root + ".properties[spec].type: Required value: must not be empty for specified object fields"], Errors("""{"type":"object","properties":{"spec":{}}}"""));
    }

    [Fact]
    public void Schemas_that_differ_between_versions_are_reported_per_version()
    {
        var crd = WithSchema("""{"type":"object","properties":{"spec":{}}}""", c => AddVersion(c, "v2")["schema"] = JsonNode.Parse("""{"openAPIV3Schema":{"type":"object"}}"""));

        Assert.Equal(["spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields"], CreateErrors(crd));
    }

    [Fact]
    public void The_root_is_an_object()
    {
        Assert.Equal([Root + ".type: Required value: must not be empty at the root"], Errors("""{"properties":{"spec":{"type":"object"}}}"""));
        Assert.Equal([Root + ".type: Invalid value: \"array\": must be object at the root"], Errors("""{"type":"array","items":{"type":"string"}}"""));
    }

    [Fact]
    public void Array_items_have_a_type_and_arrays_have_items()
    {
        Assert.Equal(
            [Root + ".properties[a].items: Required value: must be specified", Root + ".properties[b].items.type: Required value: must not be empty for specified array items"],
            Errors("""{"type":"object","properties":{"a":{"type":"array"},"b":{"type":"array","items":{}}}}"""));
    }

    [Fact]
    public void Int_or_string_and_preserved_fields_need_no_type()
    {
        Assert.Empty(Errors("""{"type":"object","properties":{"a":{"x-kubernetes-int-or-string":true},"b":{"x-kubernetes-preserve-unknown-fields":true}}}"""));
    }

    [Fact]
    public void Types_are_openapi_v3_types()
    {
        Assert.Equal(
            [Root + ".properties[a].type: Unsupported value: \"int\": supported values: \"array\", \"boolean\", \"integer\", \"number\", \"object\", \"string\""],
            Errors("""{"type":"object","properties":{"a":{"type":"int"}}}"""));
    }

    [Fact]
    public void Metadata_at_the_root_may_only_restrict_name_and_generate_name()
    {
        Assert.Equal(
            [Root + ".properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified"],
            Errors("""{"type":"object","properties":{"metadata":{"type":"object","properties":{"labels":{"type":"object"}}}}}"""));
        Assert.Equal(
            [Root + ".properties[metadata].type: Invalid value: \"string\": must be object"],
            Errors("""{"type":"object","properties":{"metadata":{"type":"string"}}}"""));
    }

    [Fact]
    public void Defaults_are_forbidden_in_top_level_metadata()
    {
        Assert.Equal(
            [Root + ".properties[metadata].properties[name].default: Forbidden: must not be set in top-level metadata"],
            Errors("""{"type":"object","properties":{"metadata":{"type":"object","properties":{"name":{"type":"string","default":"x"}}}}}"""));
    }

    [Fact]
    public void References_are_not_supported()
    {
        Assert.Equal([Root + ".properties[a].$ref: Forbidden: $ref is not supported"], Errors("""{"type":"object","properties":{"a":{"$ref":"#/definitions/b"}}}"""));
    }

    [Fact]
    public void A_schema_uri_is_refused_as_kube_fails_to_build_the_structural_schema()
    {
        Assert.Equal(
            [Root + ": Invalid value: \"\": OpenAPIV3Schema 'schema' is not supported"],
            Errors("""{"type":"object","properties":{"a":{"type":"string","$schema":"http://json-schema.org/draft-04/schema#"}}}"""));
    }

    [Fact]
    public void Additional_properties_and_properties_are_mutually_exclusive()
    {
        Assert.Equal(
            [Root + ".properties[a].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive"],
            Errors("""{"type":"object","properties":{"a":{"type":"object","properties":{"b":{"type":"string"}},"additionalProperties":{"type":"string"}}}}"""));
    }

    [Fact]
    public void Additional_properties_are_forbidden_at_the_root()
    {
        Assert.Equal([Root + ".additionalProperties: Forbidden: must not be used at the root"], Errors("""{"type":"object","additionalProperties":{"type":"string"}}"""));
    }

    [Fact]
    public void Unique_items_are_forbidden()
    {
        Assert.Equal(
            [Root + ".properties[a].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic"],
            Errors("""{"type":"object","properties":{"a":{"type":"array","uniqueItems":true,"items":{"type":"string"}}}}"""));
    }

    [Fact]
    public void Preserve_unknown_fields_is_true_or_undefined()
    {
        Assert.Equal(
            [Root + ".properties[a].x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined"],
            Errors("""{"type":"object","properties":{"a":{"type":"object","x-kubernetes-preserve-unknown-fields":false}}}"""));
    }

    [Fact]
    public void The_list_type_is_atomic_set_or_map_on_arrays()
    {
        Assert.Equal(
            [Root + ".properties[a].x-kubernetes-list-type: Unsupported value: \"bag\": supported values: \"atomic\", \"set\", \"map\""],
            Errors("""{"type":"object","properties":{"a":{"type":"array","items":{"type":"string"},"x-kubernetes-list-type":"bag"}}}"""));
        Assert.Equal(
            [Root + ".properties[a].type: Invalid value: \"string\": must be array if x-kubernetes-list-type is specified"],
            Errors("""{"type":"object","properties":{"a":{"type":"string","x-kubernetes-list-type":"set"}}}"""));
    }

    [Fact]
    public void Map_lists_key_their_items_by_required_scalar_properties()
    {
        Assert.Equal(
            [Root + ".properties[a].x-kubernetes-list-map-keys: Invalid value: []string{\"id\"}: entries must all be names of item properties"],
            Errors("""{"type":"object","properties":{"a":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["id"],"items":{"type":"object","properties":{"name":{"type":"string"}}}}}}"""));
        Assert.Equal(
            [Root + ".properties[a].items.properties[name].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property"],
            Errors("""{"type":"object","properties":{"a":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],"items":{"type":"object","properties":{"name":{"type":"string"}}}}}}"""));
    }

    [Fact]
    public void Map_list_keys_need_the_map_list_type()
    {
        Assert.Equal(
            [Root + ".properties[a].x-kubernetes-list-type: Required value: must be map if x-kubernetes-list-map-keys is non-empty"],
            Errors("""{"type":"object","properties":{"a":{"type":"array","x-kubernetes-list-map-keys":["name"],"items":{"type":"object","required":["name"],"properties":{"name":{"type":"string"}}}}}}"""));
    }

    [Fact]
    public void Set_items_that_are_objects_are_atomic()
    {
        Assert.Equal(
            [Root + ".properties[a].items.x-kubernetes-map-type: Invalid value: \"null\": must be atomic as item of a list with x-kubernetes-list-type=set"],
            Errors("""{"type":"object","properties":{"a":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"object"}}}}"""));
    }

    [Fact]
    public void Value_validations_declare_no_types()
    {
        Assert.Equal(
            [Root + ".properties[a].anyOf[0].type: Forbidden: must be empty to be structural"],
            Errors("""{"type":"object","properties":{"a":{"type":"string","anyOf":[{"type":"string","minLength":1},{"maxLength":3}]}}}"""));
    }

    [Fact]
    public void Value_validations_only_reach_declared_fields()
    {
        Assert.Equal(
            [Root + ".properties[b]: Required value: because it is defined in " + Root + ".oneOf[0].properties[b]"],
            Errors("""{"type":"object","properties":{"a":{"type":"string"}},"oneOf":[{"properties":{"b":{"minLength":1}}}]}"""));
    }

    [Fact]
    public void Value_validations_carry_no_metadata_or_extensions()
    {
        Assert.Equal(
            [Root + ".allOf[0].properties[metadata]: Forbidden: must not be specified in a nested context",
             Root + ".allOf[0].x-kubernetes-preserve-unknown-fields: Forbidden: must be false to be structural",
             Root + ".properties[metadata]: Required value: because it is defined in " + Root + ".allOf[0].properties[metadata]"],
            Errors("""{"type":"object","allOf":[{"x-kubernetes-preserve-unknown-fields":true,"properties":{"metadata":{"required":["name"]}}}]}"""));
    }

    [Fact]
    public void Embedded_resources_are_objects()
    {
        Assert.Equal(
            [Root + ".properties[a].type: Invalid value: \"string\": must be object if x-kubernetes-embedded-resource is true"],
            Errors("""{"type":"object","properties":{"a":{"type":"string","x-kubernetes-embedded-resource":true,"x-kubernetes-preserve-unknown-fields":true}}}"""));
    }

    [Fact]
    public void Patterns_are_regular_expressions()
    {
        Assert.Contains(
            Errors("""{"type":"object","properties":{"a":{"type":"string","pattern":"^(a"}}}"""),
            e => e.StartsWith(Root + ".properties[a].pattern: Invalid value: \"^(a\": must be a valid regular expression, but isn't: ", StringComparison.Ordinal));
    }

    [Fact]
    public void Validation_rules_have_a_rule()
    {
        Assert.Equal(
            [Root + ".x-kubernetes-validations[0].rule: Required value: rule is not specified",
             Root + ".x-kubernetes-validations[1].reason: Unsupported value: \"FieldValueBad\": supported values: \"FieldValueDuplicate\", \"FieldValueForbidden\", \"FieldValueInvalid\", \"FieldValueRequired\""],
            Errors("""{"type":"object","x-kubernetes-validations":[{"rule":" "},{"rule":"true","reason":"FieldValueBad"}]}"""));
    }

    [Fact]
    public void With_the_status_subresource_the_root_only_holds_what_status_extraction_keeps()
    {
        static void Status(JsonObject c) => Version(c, 0)["subresources"] = JsonNode.Parse("""{"status":{}}""");

        Assert.Equal(
            [Root + ": Invalid value: apiextensions.JSONSchemaProps{...}: only [Description Type Format Title Maximum ExclusiveMaximum Minimum ExclusiveMinimum MaxLength MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items Properties ExternalDocs Example XPreserveUnknownFields XValidations] fields are allowed at the root of the schema if the status subresource is enabled"],
            Errors("""{"type":"object","anyOf":[{"required":["spec"]}],"properties":{"spec":{"type":"object"}}}""", Status));
    }

    [Fact]
    public void The_root_is_never_nullable()
    {
        Assert.Equal([Root + ".nullable: Forbidden: nullable cannot be true at the root"], Errors("""{"type":"object","nullable":true}"""));
    }

    [Fact]
    public void An_update_keeps_accepting_a_type_the_stored_crd_already_used()
    {
        var old = WithSchema("""{"type":"object","properties":{"a":{"type":"int"}}}""");
        var crd = WithSchema("""{"type":"object","properties":{"a":{"type":"int"},"b":{"type":"string"}}}""");

        Assert.Empty(UpdateErrors(crd, old));
    }
}
