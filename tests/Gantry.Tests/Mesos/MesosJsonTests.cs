using System.Text.Json.Nodes;
using Gantry.Server.Mesos;
using Xunit;

namespace Gantry.Tests.Mesos;

public sealed class MesosJsonTests
{
    [Theory]
    [InlineData("5", 5.0)]
    [InlineData("0.25", 0.25)]
    [InlineData("\"10000000000\"", 1e10)]
    [InlineData("\"1.5e3\"", 1500.0)]
    public void A_number_is_read_from_a_json_number_or_a_string_holding_one(string json, double expected) =>
        Assert.Equal(expected, MesosJson.Number(JsonNode.Parse(json)));

    [Fact]
    public void An_absent_number_is_null() =>
        Assert.Null(MesosJson.Number(null));

    [Theory]
    [InlineData("\"soon\"")]
    [InlineData("\"NaN\"")]
    [InlineData("\"Infinity\"")]
    [InlineData("\" 5\"")]
    [InlineData("true")]
    [InlineData("{\"value\":1}")]
    public void Anything_else_is_not_a_number(string json) =>
        Assert.Throws<FormatException>(() => MesosJson.Number(JsonNode.Parse(json)));
}
