using System.Text.Json.Nodes;
using Gantry.Core.Cel;
using Xunit;

namespace Gantry.Tests.Cel;

public sealed class CelValuesTests
{
    [Fact]
    public void From_json_maps_each_kind()
    {
        var value = Assert.IsType<CelMap>(CelValues.FromJson(JsonNode.Parse("""{"i": 3, "d": 1.5, "s": "x", "b": true, "n": null, "l": [1, "a"]}""")));
        Assert.Equal(3L, value["i"]);
        Assert.Equal(1.5, value["d"]);
        Assert.Equal("x", value["s"]);
        Assert.Equal(true, value["b"]);
        Assert.Null(value["n"]);
        Assert.Equal(new CelList([1L, "a"]), value["l"]);
        Assert.Null(CelValues.FromJson(null));
    }

    [Fact]
    public void From_json_accepts_nodes_built_in_code() =>
        Assert.Equal(5L, CelValues.FromJson(JsonValue.Create(5)));

    [Theory]
    [InlineData(null, "null")]
    [InlineData(true, "true")]
    [InlineData(12L, "12")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e6, "1e+06")]
    [InlineData(123456.0, "123456")]
    [InlineData(1e-5, "1e-05")]
    [InlineData("s", "s")]
    public void Format_matches_cel_string(object? value, string expected) => Assert.Equal(expected, CelValues.Format(value));

    [Fact]
    public void Format_writes_collections_as_literals() =>
        Assert.Equal("[1, \"a\", {\"k\": 2u}]", CelValues.Format(new CelList([1L, "a", new CelMap([new KeyValuePair<object, object?>("k", 2UL)])])));

    [Fact]
    public void Map_keys_compare_across_int_and_uint()
    {
        var map = new CelMap([new KeyValuePair<object, object?>(1L, "one")]);
        Assert.True(map.ContainsKey(1UL));
        Assert.Throws<ArgumentException>(() => new CelMap([new("a", 1L), new("a", 2L)]));
    }

    [Fact]
    public void Callers_may_pass_other_clr_numeric_types()
    {
        var program = CelProgram.Compile("x + 1 == 3", ["x"]);
        Assert.Equal(true, program.Evaluate(new Dictionary<string, object?> { ["x"] = 2 }));
    }
}
