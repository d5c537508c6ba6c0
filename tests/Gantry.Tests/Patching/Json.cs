using System.Text.Json.Nodes;
using Gantry.Core.Patching;
using Xunit;

namespace Gantry.Tests.Patching;

/// <summary>Terse JSON literals and structural assertions for the patch tests.</summary>
internal static class Json
{
    public static JsonNode Parse(string json) => JsonNode.Parse(json)!;

    public static JsonObject Object(string json) => (JsonObject)Parse(json);

    public static JsonArray Array(string json) => (JsonArray)Parse(json);

    /// <summary>Asserts structural equality: member order is ignored, array order is not.</summary>
    public static void Equal(string expected, JsonNode? actual) =>
        Assert.True(
            JsonEquality.DeepEquals(JsonNode.Parse(expected), actual),
            $"expected {JsonNode.Parse(expected)?.ToJsonString() ?? "null"}\n  actual {actual?.ToJsonString() ?? "null"}");
}
