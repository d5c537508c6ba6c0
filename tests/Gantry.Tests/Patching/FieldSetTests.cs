using System.Text.Json.Nodes;
using Gantry.Core.Patching;
using Xunit;

namespace Gantry.Tests.Patching;

public sealed class FieldSetTests
{
    private static readonly string[] Elements = ["f:a", "f:b", "k:{\"name\":\"x\"}", "v:\"y\""];

    [Fact]
    public void Questions_about_an_undecoded_FieldsV1_tree_agree_with_its_decoded_set()
    {
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var tree = RandomTree(random, depth: 0);
            var set = FieldSet.FromFieldsV1(RandomTree(random, depth: 0));
            var decoded = FieldSet.FromFieldsV1(tree);
            var missing = set.Clone();
            missing.ExceptWith(decoded);

            Assert.Equal(!decoded.IsEmpty, FieldSet.HasMemberInFieldsV1(tree));
            Assert.Equal(!set.Intersect(decoded).IsEmpty, set.OverlapsFieldsV1(tree));
            Assert.Equal(missing.IsEmpty, set.IsSubsetOfFieldsV1(tree));
        }
    }

    [Fact]
    public void The_root_of_a_FieldsV1_tree_is_a_member_only_with_a_dot()
    {
        Assert.False(FieldSet.HasMemberInFieldsV1(JsonNode.Parse("{}")));
        Assert.True(FieldSet.HasMemberInFieldsV1(JsonNode.Parse("""{".":{}}""")));
        Assert.True(FieldSet.HasMemberInFieldsV1(JsonNode.Parse("""{"f:a":{}}""")));
        Assert.False(FieldSet.HasMemberInFieldsV1(JsonNode.Parse("""{"f:a":1}""")));
    }

    private static JsonNode RandomTree(Random random, int depth)
    {
        if (depth > 0 && random.Next(12) == 0)
        {
            return JsonValue.Create(1);
        }

        var map = new JsonObject();
        if (random.Next(4) == 0)
        {
            map["."] = new JsonObject();
        }

        if (depth < 3)
        {
            foreach (var element in Elements)
            {
                if (random.Next(3) == 0)
                {
                    map[element] = RandomTree(random, depth + 1);
                }
            }
        }

        return map;
    }
}
