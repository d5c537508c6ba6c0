using System.Text.Json.Nodes;
using Gantry.Core.Patching;
using Xunit;

namespace Gantry.Tests.Patching;

public sealed class JsonTextTests
{
    [Fact]
    public void A_parsed_tree_and_a_built_one_with_the_same_members_write_the_same_text()
    {
        var parsed = JsonNode.Parse("""{"spec":{"containers":[{"name":"a","args":["x",1,true,null]}]}}""");
        var built = new JsonObject
        {
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "a", ["args"] = new JsonArray("x", 1, true, null) }) },
        };

        Assert.True(JsonText.Same(parsed, built));
    }

    [Fact]
    public void Different_text_proves_nothing_and_equality_falls_back_to_the_structure()
    {
        var left = JsonNode.Parse("""{"a":1,"b":2.0}""");
        var right = JsonNode.Parse("""{"b":2,"a":1}""");

        Assert.False(JsonText.Same(left, right));
        Assert.True(JsonEquality.DeepEquals(left, right));
        Assert.False(JsonEquality.DeepEquals(left, JsonNode.Parse("""{"a":1,"b":3}""")));
    }

    [Fact]
    public void Null_is_the_same_only_as_null()
    {
        Assert.True(JsonText.Same(null, null));
        Assert.False(JsonText.Same(null, JsonNode.Parse("{}")));
    }
}
