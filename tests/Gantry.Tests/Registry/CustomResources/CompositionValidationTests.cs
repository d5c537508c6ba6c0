using Gantry.Server.Registry.CustomResources.Schema;
using Xunit;

namespace Gantry.Tests.Registry.CustomResources;

/// <summary>allOf, anyOf, oneOf and not (kube-openapi's schema_props.go), whose own errors name no field.</summary>
public sealed class CompositionValidationTests
{
    private static string[] ErrorsOf(string xSchema, string x) =>
        Schemas.Errors(Schemas.Object("""{"spec":{"x":""" + x + "}}"), Schemas.WithSpec("""{"x":""" + xSchema + "}"));

    private const string AOrB = """{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"string"}},"{0}":[{"required":["a"]},{"required":["b"]}]}""";

    [Fact]
    public void Any_of_with_no_valid_alternative_reports_it_and_the_first_best_alternative_errors()
    {
        Assert.Equal(
        [
            """<nil>: Invalid value: "": "spec.x" must validate at least one schema (anyOf)""",
            "spec.x.a: Required value",
        ], ErrorsOf(AOrB.Replace("{0}", "anyOf", StringComparison.Ordinal), "{}"));
    }

    [Fact]
    public void Any_of_with_a_valid_alternative_passes()
    {
        Assert.Empty(ErrorsOf(AOrB.Replace("{0}", "anyOf", StringComparison.Ordinal), """{"b":"1"}"""));
    }

    [Fact]
    public void One_of_with_two_valid_alternatives_says_how_many()
    {
        Assert.Equal(["""<nil>: Invalid value: "": "spec.x" must validate one and only one schema (oneOf). Found 2 valid alternatives"""],
            ErrorsOf(AOrB.Replace("{0}", "oneOf", StringComparison.Ordinal), """{"a":"1","b":"2"}"""));
    }

    [Fact]
    public void One_of_with_no_valid_alternative_says_none()
    {
        Assert.Equal(
        [
            """<nil>: Invalid value: "": "spec.x" must validate one and only one schema (oneOf). Found none valid""",
            "spec.x.a: Required value",
        ], ErrorsOf(AOrB.Replace("{0}", "oneOf", StringComparison.Ordinal), "{}"));
    }

    [Fact]
    public void All_of_reports_the_failing_alternatives_errors_once_and_then_itself()
    {
        Assert.Equal(
        [
            "spec.x: Too long: may not be more than 1 byte",
            """<nil>: Invalid value: "": "spec.x" must validate all the schemas (allOf). None validated""",
        ], ErrorsOf("""{"type":"string","allOf":[{"maxLength":1},{"maxLength":1}]}""", "\"xy\""));
    }

    [Fact]
    public void Not_refuses_a_value_its_schema_accepts()
    {
        Assert.Equal(["""<nil>: Invalid value: "": "spec.x" must not validate the schema (not)"""],
            ErrorsOf("""{"type":"object","properties":{"a":{"type":"string"}},"not":{"required":["a"]}}""", """{"a":"1"}"""));
    }
}
