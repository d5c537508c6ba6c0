using Gantry.Core.Validation;
using Gantry.Server.Registry.CustomResources.Schema;
using Xunit;

namespace Gantry.Tests.Registry.CustomResources;

/// <summary>
/// Messages as kube-openapi writes them (pkg/validation/errors/schema.go) and apiextensions maps them to field errors
/// (pkg/apiserver/validation/validation.go, kubeOpenAPIResultToFieldErrors).
/// </summary>
public sealed class StructuralValidationTests
{
    private static readonly StructuralSchema Schema = Schemas.Parse("""
        {"type":"object","required":["spec"],"properties":{"spec":{"type":"object","properties":{
          "replicas":{"type":"integer","minimum":1,"maximum":10},
          "name":{"type":"string","minLength":2,"maxLength":5,"pattern":"^a"},
          "mode":{"type":"string","enum":["fast","slow"]},
          "level":{"type":"integer","enum":[1,2]},
          "shape":{"type":"object","enum":[{"a":1}]},
          "ratio":{"type":"number","exclusiveMinimum":true,"minimum":0,"multipleOf":0.5},
          "count32":{"type":"integer","format":"int32"},
          "tags":{"type":"array","items":{"type":"string"},"minItems":1,"maxItems":2,"uniqueItems":true},
          "port":{"x-kubernetes-int-or-string":true},
          "id":{"type":"string","format":"uuid"},
          "when":{"type":"string","format":"date-time"},
          "custom":{"type":"string","format":"my-own-format"},
          "labels":{"type":"object","minProperties":1,"maxProperties":2,"additionalProperties":{"type":"string","maxLength":3}},
          "closed":{"type":"object","additionalProperties":false},
          "nested":{"type":"object","required":["a"],"properties":{"a":{"type":"string"}}},
          "optional":{"type":"string","nullable":true}}},
          "status":{"type":"object","properties":{"phase":{"type":"string","enum":["Ready"]}}}}}
        """);

    private static string[] ErrorsOf(string spec) =>
        Schemas.Errors(Schemas.Object("""{"apiVersion":"x.example.com/v1","kind":"X","metadata":{"name":"a"},"spec":""" + spec + "}"), Schema);

    [Fact]
    public void An_object_that_fits_the_schema_has_no_errors()
    {
        Assert.Empty(ErrorsOf("""
            {"replicas":3,"name":"abc","mode":"fast","level":2,"ratio":1.5,"count32":7,"tags":["a","b"],"port":"http",
             "id":"123e4567-e89b-12d3-a456-426614174000","when":"2024-01-02T03:04:05Z","custom":"anything","labels":{"a":"b"},
             "nested":{"a":"x"},"optional":null}
            """));
    }

    [Fact]
    public void A_value_of_the_wrong_type_names_the_type_it_has()
    {
        Assert.Equal(["""spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string" """.TrimEnd()],
            ErrorsOf("""{"replicas":"3"}"""));
    }

    [Fact]
    public void An_integral_float_is_an_integer()
    {
        Assert.Empty(ErrorsOf("""{"replicas":2.0}"""));
    }

    [Fact]
    public void A_fractional_number_is_not_an_integer_nor_in_the_integer_range()
    {
        Assert.Equal(
        [
            """spec.replicas: Invalid value: "number": spec.replicas in body must be of type integer: "number" """.TrimEnd(),
            """<nil>: Invalid value: "": Checked value must be of type integer (default format) in spec.replicas""",
        ], ErrorsOf("""{"replicas":2.5}"""));
    }

    [Fact]
    public void A_missing_required_property_is_a_required_value()
    {
        Assert.Equal(["spec.nested.a: Required value"], ErrorsOf("""{"nested":{}}"""));
    }

    [Fact]
    public void A_missing_required_property_of_the_root_is_named_without_a_leading_dot()
    {
        Assert.Equal(["spec: Required value"], Schemas.Errors(Schemas.Object("""{"apiVersion":"x/v1","kind":"X"}"""), Schema));
    }

    [Fact]
    public void A_value_outside_the_enum_lists_the_supported_values()
    {
        Assert.Equal(["""spec.mode: Unsupported value: "medium": supported values: "fast", "slow" """.TrimEnd()], ErrorsOf("""{"mode":"medium"}"""));
    }

    [Fact]
    public void Enum_values_that_are_not_strings_are_listed_as_json()
    {
        Assert.Equal(["""spec.level: Unsupported value: 3: supported values: "1", "2" """.TrimEnd()], ErrorsOf("""{"level":3}"""));
        Assert.Equal(["""spec.shape: Unsupported value: {"a":2,"b":1}: supported values: "{\"a\":1}" """.TrimEnd()], ErrorsOf("""{"shape":{"b":1,"a":2}}"""));
    }

    [Fact]
    public void A_number_below_the_minimum_or_above_the_maximum_says_so()
    {
        Assert.Equal(["spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1"], ErrorsOf("""{"replicas":0}"""));
        Assert.Equal(["spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10"], ErrorsOf("""{"replicas":11}"""));
    }

    [Fact]
    public void An_exclusive_minimum_refuses_the_minimum_itself()
    {
        Assert.Equal(["spec.ratio: Invalid value: 0: spec.ratio in body should be greater than 0"], ErrorsOf("""{"ratio":0.0}"""));
    }

    [Fact]
    public void A_number_that_is_not_a_multiple_of_the_factor_says_so()
    {
        Assert.Equal(["spec.ratio: Invalid value: 0.7: spec.ratio in body should be a multiple of 0.5"], ErrorsOf("""{"ratio":0.7}"""));
    }

    [Fact]
    public void An_integer_checked_against_a_fractional_factor_meets_the_truncated_factor_as_kube_does()
    {
        // values.go MultipleOfNativeType: an int64 is checked against int64(multipleOf), here 0.
        Assert.Equal(["spec.ratio: Invalid value: 0: factor MultipleOf declared for spec.ratio must be positive: 0"], ErrorsOf("""{"ratio":1}"""));
    }

    [Fact]
    public void An_integer_outside_its_int32_format_is_refused_on_no_field()
    {
        Assert.Equal(["""<nil>: Invalid value: "": Checked value must be of type integer with format int32 in spec.count32"""], ErrorsOf("""{"count32":3000000000}"""));
    }

    [Fact]
    public void A_string_longer_than_max_length_is_too_long_and_its_other_checks_are_skipped()
    {
        Assert.Equal(["spec.name: Too long: may not be more than 5 bytes"], ErrorsOf("""{"name":"bcdefg"}"""));
    }

    [Fact]
    public void A_string_shorter_than_min_length_says_so()
    {
        Assert.Equal(["""spec.name: Invalid value: "a": spec.name in body should be at least 2 chars long"""], ErrorsOf("""{"name":"a"}"""));
    }

    [Fact]
    public void String_lengths_count_runes_not_bytes()
    {
        Assert.Empty(ErrorsOf("""{"name":"a😀😀😀😀"}"""));
    }

    [Fact]
    public void A_string_that_does_not_match_the_pattern_quotes_the_pattern()
    {
        Assert.Equal(["""spec.name: Invalid value: "bcd": spec.name in body should match '^a'"""], ErrorsOf("""{"name":"bcd"}"""));
    }

    [Fact]
    public void An_array_with_too_many_items_is_too_many()
    {
        Assert.Equal(["spec.tags: Too many: 3: must have at most 2 items"], ErrorsOf("""{"tags":["a","b","c"]}"""));
    }

    [Fact]
    public void An_array_with_too_few_items_says_so()
    {
        Assert.Equal(["spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items"], ErrorsOf("""{"tags":[]}"""));
    }

    [Fact]
    public void Unique_items_refuse_a_repeated_item()
    {
        Assert.Equal(["""spec.tags: Invalid value: "": spec.tags in body shouldn't contain duplicates"""], ErrorsOf("""{"tags":["a","a"]}"""));
    }

    [Fact]
    public void Array_items_are_named_by_index()
    {
        Assert.Equal(["""spec.tags[1]: Invalid value: "integer": spec.tags[1] in body must be of type string: "integer" """.TrimEnd()], ErrorsOf("""{"tags":["a",1]}"""));
    }

    [Fact]
    public void Int_or_string_takes_either_and_names_both_when_neither()
    {
        Assert.Empty(ErrorsOf("""{"port":80}"""));
        Assert.Equal(["""spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean" """.TrimEnd()], ErrorsOf("""{"port":true}"""));
    }

    [Fact]
    public void A_string_not_in_its_format_names_the_format()
    {
        Assert.Equal(["""spec.id: Invalid value: "nope": spec.id in body must be of type uuid: "nope" """.TrimEnd()], ErrorsOf("""{"id":"nope"}"""));
        Assert.Equal(["""spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday" """.TrimEnd()], ErrorsOf("""{"when":"yesterday"}"""));
    }

    [Fact]
    public void A_format_kube_does_not_support_is_not_checked()
    {
        Assert.Empty(ErrorsOf("""{"custom":"whatever it is"}"""));
    }

    [Fact]
    public void A_string_format_on_a_number_is_stripped_as_apiextensions_strips_it()
    {
        var schema = Schemas.WithSpec("""{"n":{"type":"integer","format":"date"}}""");

        Assert.Empty(Schemas.Errors(Schemas.Object("""{"spec":{"n":5}}"""), schema));
    }

    [Fact]
    public void Map_values_are_named_after_a_dot_and_property_counts_use_too_many()
    {
        Assert.Equal(
        [
            "spec.labels: Too many: 3: must have at most 2 items",
            "spec.labels.a: Too long: may not be more than 3 bytes",
        ], ErrorsOf("""{"labels":{"a":"long","b":"x","c":"y"}}"""));
    }

    [Fact]
    public void An_object_with_too_few_properties_says_so()
    {
        Assert.Equal(["spec.labels: Invalid value: 0: spec.labels in body should have at least 1 properties"], ErrorsOf("""{"labels":{}}"""));
    }

    [Fact]
    public void Additional_properties_false_forbids_other_properties()
    {
        Assert.Equal(["""spec.closed: Invalid value: "x": spec.closed.x in body is a forbidden property"""], ErrorsOf("""{"closed":{"x":1}}"""));
    }

    [Fact]
    public void Null_is_refused_unless_the_schema_is_nullable()
    {
        Assert.Equal(["""spec.name: Invalid value: "null": spec.name in body must be of type string: "null" """.TrimEnd()], ErrorsOf("""{"name":null}"""));
        Assert.Empty(ErrorsOf("""{"optional":null}"""));
    }

    [Fact]
    public void A_status_validated_alone_is_named_under_status()
    {
        var errors = StructuralValidation.ValidateSchema(Schemas.Object("""{"phase":"Gone"}"""), Schema.Properties["status"], FieldPath.Of("status"));

        Assert.Equal(["""status.phase: Unsupported value: "Gone": supported values: "Ready" """.TrimEnd()], errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Field_errors_carry_kube_reasons()
    {
        var errors = StructuralValidation.Validate(Schemas.Object("""{"spec":{"mode":"x","nested":{},"tags":["a","b","c"]}}"""), Schema);

        Assert.Equal(["FieldValueNotSupported", "FieldValueTooMany", "FieldValueRequired"], errors.Select(e => e.Reason));
    }
}
