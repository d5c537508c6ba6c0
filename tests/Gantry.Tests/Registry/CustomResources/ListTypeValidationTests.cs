using Gantry.Server.Registry.CustomResources.Schema;
using Xunit;

namespace Gantry.Tests.Registry.CustomResources;

/// <summary>pkg/apiserver/schema/listtype/validation.go.</summary>
public sealed class ListTypeValidationTests
{
    private static readonly StructuralSchema Schema = Schemas.WithSpec("""
        {"set":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}},
         "numbers":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"number"}},
         "byName":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
           "items":{"type":"object","properties":{"name":{"type":"string"},"port":{"type":"integer"}}}},
         "ports":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["port","protocol"],
           "items":{"type":"object","properties":{"port":{"type":"integer"},"protocol":{"type":"string"}}}},
         "groups":{"type":"object","additionalProperties":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}}}}
        """);

    private static string[] ErrorsOf(string spec) => StructuralValidation.ValidateListSetsAndMaps(Schemas.Object("""{"spec":""" + spec + "}"), Schema)
        .Select(e => e.ToString()).ToArray();

    [Fact]
    public void A_set_reports_each_repeated_value_once_at_its_second_appearance()
    {
        Assert.Equal(["""spec.set[2]: Duplicate value: "a" """.TrimEnd()], ErrorsOf("""{"set":["a","b","a","a"]}"""));
    }

    [Fact]
    public void A_set_tells_an_integer_from_an_equal_float_as_go_does()
    {
        Assert.Equal(["spec.numbers[2]: Duplicate value: 1"], ErrorsOf("""{"numbers":[1,1.0,1]}"""));
    }

    [Fact]
    public void A_map_list_with_one_key_reports_the_repeated_key()
    {
        Assert.Equal(["""spec.byName[1]: Duplicate value: {"name":"a"}"""], ErrorsOf("""{"byName":[{"name":"a","port":1},{"name":"a","port":2}]}"""));
    }

    [Fact]
    public void A_map_list_item_without_its_key_repeats_another_without_it()
    {
        Assert.Equal(["spec.byName[1]: Duplicate value: {}"], ErrorsOf("""{"byName":[{"port":1},{"port":2}]}"""));
    }

    [Fact]
    public void A_map_list_with_several_keys_compares_them_together()
    {
        Assert.Equal(["""spec.ports[2]: Duplicate value: {"port":80,"protocol":"TCP"}"""],
            ErrorsOf("""{"ports":[{"port":80,"protocol":"TCP"},{"port":80,"protocol":"UDP"},{"protocol":"TCP","port":80}]}"""));
    }

    [Fact]
    public void A_map_list_item_must_be_an_object()
    {
        Assert.Equal(["""spec.byName[0]: Invalid value: "x": must be an object for an array of list-type map"""], ErrorsOf("""{"byName":["x"]}"""));
    }

    [Fact]
    public void Lists_in_map_values_are_named_with_the_key_in_brackets()
    {
        Assert.Equal(["""spec.groups[g][1]: Duplicate value: "a" """.TrimEnd()], ErrorsOf("""{"groups":{"g":["a","a"]}}"""));
    }

    [Fact]
    public void Validate_reports_schema_errors_before_list_type_errors()
    {
        var errors = Schemas.Errors(Schemas.Object("""{"spec":{"set":["a","a",1]}}"""), Schema);

        Assert.Equal(
        [
            """spec.set[2]: Invalid value: "integer": spec.set[2] in body must be of type string: "integer" """.TrimEnd(),
            """spec.set[1]: Duplicate value: "a" """.TrimEnd(),
        ], errors);
    }
}
