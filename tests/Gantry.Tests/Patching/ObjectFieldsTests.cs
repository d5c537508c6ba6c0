using System.Text.Json.Nodes;
using Gantry.Core.Patching;
using Xunit;

namespace Gantry.Tests.Patching;

public sealed class ObjectFieldsTests
{
    private static readonly PatchSchema Pod = PatchSchema.ForKind("v1", "Pod");

    private static readonly string[] ContainerNames = ["a", "b", "c"];

    [Fact]
    public void Members_equal_on_both_sides_are_neither_added_modified_nor_removed()
    {
        var before = Json.Object("""{"kind":"Pod","metadata":{"name":"p","labels":{"a":"1"}},"spec":{"nodeName":"n1"},"status":{"phase":"Pending"}}""");
        var after = Json.Object("""{"kind":"Pod","metadata":{"name":"p","labels":{"a":"1"}},"spec":{"nodeName":"n1"},"status":{"phase":"Running","podIP":"10.0.0.2"}}""");

        var comparison = ObjectFields.Compare(before, after, Pod);

        Json.Equal("""{"f:status":{"f:podIP":{}}}""", comparison.Added.ToFieldsV1());
        Json.Equal("""{"f:status":{"f:phase":{}}}""", comparison.Modified.ToFieldsV1());
        Assert.True(comparison.Removed.IsEmpty);
    }

    [Fact]
    public void A_member_on_one_side_only_is_added_or_removed_whole()
    {
        var before = Json.Object("""{"kind":"Pod","spec":{"nodeName":"n1"},"status":{"phase":"Pending"}}""");
        var after = Json.Object("""{"kind":"Pod","spec":{"nodeName":"n1","hostNetwork":true}}""");

        var comparison = ObjectFields.Compare(before, after, Pod);

        Json.Equal("""{"f:spec":{"f:hostNetwork":{}}}""", comparison.Added.ToFieldsV1());
        Assert.True(comparison.Modified.IsEmpty);
        Json.Equal("""{"f:status":{"f:phase":{}}}""", comparison.Removed.ToFieldsV1());
    }

    [Fact]
    public void Without_managed_fields_the_metadata_compares_as_if_they_were_not_there()
    {
        var before = Json.Object("""{"kind":"Pod","metadata":{"name":"p","managedFields":[{"manager":"a"}]},"spec":{"nodeName":"n1"}}""");
        var after = Json.Object("""{"kind":"Pod","metadata":{"name":"p","labels":{"x":"1"}},"spec":{"nodeName":"n1"}}""");

        var comparison = ObjectFields.Compare(before, after, Pod, withoutManagedFields: true);

        Json.Equal("""{"f:metadata":{"f:labels":{"f:x":{}}}}""", comparison.Added.ToFieldsV1());
        Assert.True(comparison.Modified.IsEmpty);
        Assert.True(comparison.Removed.IsEmpty);
        Assert.NotNull(before["metadata"]!["managedFields"]);
    }

    [Fact]
    public void A_comparison_of_one_member_looks_at_that_member_alone()
    {
        var before = Json.Object("""{"kind":"Pod","spec":{"nodeName":"n1"},"status":{"phase":"Pending","hostIP":"10.0.0.1"}}""");
        var after = Json.Object("""{"kind":"Pod","spec":{"nodeName":"n2"},"status":{"phase":"Running","podIP":"10.0.0.2"}}""");

        var comparison = ObjectFields.Compare(before, after, Pod, onlyMember: "status");

        Json.Equal("""{"f:status":{"f:podIP":{}}}""", comparison.Added.ToFieldsV1());
        Json.Equal("""{"f:status":{"f:phase":{}}}""", comparison.Modified.ToFieldsV1());
        Json.Equal("""{"f:status":{"f:hostIP":{}}}""", comparison.Removed.ToFieldsV1());
    }

    [Fact]
    public void A_compared_member_on_one_side_only_is_added_or_removed_whole()
    {
        var bare = Json.Object("""{"kind":"Pod","spec":{"nodeName":"n1"}}""");
        var withStatus = Json.Object("""{"kind":"Pod","spec":{"nodeName":"n1"},"status":{"phase":"Running"}}""");

        var added = ObjectFields.Compare(bare, withStatus, Pod, onlyMember: "status");
        var removed = ObjectFields.Compare(withStatus, bare, Pod, onlyMember: "status");

        Json.Equal("""{"f:status":{"f:phase":{}}}""", added.Added.ToFieldsV1());
        Assert.True(added.Removed.IsEmpty);
        Json.Equal("""{"f:status":{"f:phase":{}}}""", removed.Removed.ToFieldsV1());
        Assert.True(removed.Added.IsEmpty);
    }

    [Theory]
    [InlineData("Ready")]
    [InlineData("quote\" and back\\slash")]
    [InlineData("<tag> & 'apostrophe' + plus")]
    [InlineData("été \u2028 line")]
    public void A_single_string_key_names_its_element_as_the_key_object_would(string value)
    {
        var conditions = Pod.Field("status").Field("conditions");
        var element = Json.Object($$"""{"type":{{System.Text.Json.JsonSerializer.Serialize(value)}},"status":"True"}""");

        var path = ObjectFields.ElementOf(element, conditions);

        Assert.Equal("k:" + new JsonObject { ["type"] = value }.ToJsonString(), path);
    }

    [Fact]
    public void Strings_compare_equal_whether_parsed_or_built()
    {
        var parsed = Json.Object("""{"kind":"Pod","status":{"phase":"Run\u006eing","reason":"x"}}""");
        var built = new JsonObject { ["kind"] = "Pod", ["status"] = new JsonObject { ["phase"] = "Running", ["reason"] = "y" } };
        var parsedPlain = Json.Object("""{"kind":"Pod","status":{"phase":"Running","reason":"y"}}""");

        var againstBuilt = ObjectFields.Compare(parsed, built, Pod);
        var againstParsed = ObjectFields.Compare(parsed, parsedPlain, Pod);

        Json.Equal("""{"f:status":{"f:reason":{}}}""", againstBuilt.Modified.ToFieldsV1());
        Json.Equal("""{"f:status":{"f:reason":{}}}""", againstParsed.Modified.ToFieldsV1());
    }

    [Fact]
    public void Keyed_list_elements_on_both_sides_compare_member_by_member()
    {
        var before = Json.Object("""
            {"kind":"Pod","status":{"conditions":[
              {"type":"PodScheduled","status":"True"},
              {"type":"Ready","status":"False","reason":"ContainersNotReady"},
              {"type":"Initialized","status":"True"}]}}
            """);
        var after = Json.Object("""
            {"kind":"Pod","status":{"conditions":[
              {"type":"PodScheduled","status":"True","lastTransitionTime":"t"},
              {"type":"Ready","status":"True"},
              {"type":"ContainersReady","status":"True"}]}}
            """);

        var comparison = ObjectFields.Compare(before, after, Pod, onlyMember: "status");

        Json.Equal("""
            {"f:status":{"f:conditions":{
              "k:{\"type\":\"ContainersReady\"}":{".":{},"f:status":{},"f:type":{}},
              "k:{\"type\":\"PodScheduled\"}":{"f:lastTransitionTime":{}}}}}
            """, comparison.Added.ToFieldsV1());
        Json.Equal("""{"f:status":{"f:conditions":{"k:{\"type\":\"Ready\"}":{"f:status":{}}}}}""", comparison.Modified.ToFieldsV1());
        Json.Equal("""
            {"f:status":{"f:conditions":{
              "k:{\"type\":\"Initialized\"}":{".":{},"f:status":{},"f:type":{}},
              "k:{\"type\":\"Ready\"}":{"f:reason":{}}}}}
            """, comparison.Removed.ToFieldsV1());
    }

    [Fact]
    public void Added_and_removed_fields_are_the_differences_of_the_two_sides_field_sets()
    {
        var random = new Random(7);
        for (var round = 0; round < 200; round++)
        {
            var before = RandomPod(random);
            var after = round % 3 == 0 ? RandomPod(random) : Mutated(before, random);

            var comparison = ObjectFields.Compare(before, after, Pod);

            var added = ObjectFields.Of(after, Pod);
            added.ExceptWith(ObjectFields.Of(before, Pod));
            var removed = ObjectFields.Of(before, Pod);
            removed.ExceptWith(ObjectFields.Of(after, Pod));
            Assert.True(added.SetEquals(comparison.Added), $"{before.ToJsonString()} -> {after.ToJsonString()}");
            Assert.True(removed.SetEquals(comparison.Removed), $"{before.ToJsonString()} -> {after.ToJsonString()}");
        }
    }

    private static JsonObject RandomPod(Random random)
    {
        var labels = new JsonObject();
        for (var i = random.Next(3); i > 0; i--)
        {
            labels["l" + random.Next(4)] = "v" + random.Next(2);
        }

        var containers = new JsonArray();
        foreach (var name in ContainerNames.Where(_ => random.Next(2) == 0))
        {
            var container = new JsonObject { ["name"] = name, ["image"] = "i" + random.Next(2) };
            if (random.Next(2) == 0)
            {
                container["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 80 + random.Next(2), ["protocol"] = "TCP" });
            }

            if (random.Next(3) == 0)
            {
                container["env"] = random.Next(2) == 0 ? new JsonArray() : new JsonObject();
            }

            containers.Add(container);
        }

        var pod = new JsonObject { ["kind"] = "Pod", ["metadata"] = new JsonObject { ["name"] = "p", ["labels"] = labels } };
        if (random.Next(4) > 0)
        {
            pod["spec"] = new JsonObject { ["containers"] = containers, ["nodeName"] = random.Next(3) == 0 ? null : "n" + random.Next(2) };
        }

        if (random.Next(2) == 0)
        {
            pod["status"] = random.Next(3) == 0 ? "odd" : new JsonObject { ["phase"] = random.Next(2) == 0 ? "Pending" : "Running" };
        }

        return pod;
    }

    private static JsonObject Mutated(JsonObject pod, Random random)
    {
        var copy = pod.DeepClone().AsObject();
        if (copy["spec"] is JsonObject spec && random.Next(2) == 0)
        {
            spec["nodeName"] = "n" + random.Next(3);
        }

        if (random.Next(2) == 0)
        {
            copy["metadata"]!["labels"]!["l" + random.Next(4)] = "v" + random.Next(3);
        }

        if (random.Next(3) == 0)
        {
            copy.Remove("status");
        }

        return copy;
    }
}
