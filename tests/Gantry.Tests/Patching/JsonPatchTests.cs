using Gantry.Core.Patching;
using Xunit;

namespace Gantry.Tests.Patching;

public sealed class JsonPatchTests
{
    private static string Apply(string target, string operations) =>
        JsonPatch.Apply(Json.Parse(target), Json.Array(operations)).ToJsonString();

    private static string Failure(string target, string operations) =>
        Assert.Throws<PatchException>(() => JsonPatch.Apply(Json.Parse(target), Json.Array(operations))).Message;

    [Fact]
    public void Add_sets_a_new_member_of_an_object()
    {
        var result = Apply("""{"metadata":{}}""", """[{"op":"add","path":"/metadata/labels","value":{"app":"web"}}]""");

        Json.Equal("""{"metadata":{"labels":{"app":"web"}}}""", Json.Parse(result));
    }

    [Fact]
    public void Add_replaces_an_existing_member()
    {
        var result = Apply("""{"spec":{"replicas":1}}""", """[{"op":"add","path":"/spec/replicas","value":3}]""");

        Json.Equal("""{"spec":{"replicas":3}}""", Json.Parse(result));
    }

    [Fact]
    public void Add_at_an_index_shifts_later_elements()
    {
        var result = Apply("""{"a":[1,3]}""", """[{"op":"add","path":"/a/1","value":2}]""");

        Json.Equal("""{"a":[1,2,3]}""", Json.Parse(result));
    }

    [Fact]
    public void Add_at_dash_appends_to_an_array()
    {
        var result = Apply("""{"a":[1]}""", """[{"op":"add","path":"/a/-","value":2}]""");

        Json.Equal("""{"a":[1,2]}""", Json.Parse(result));
    }

    [Fact]
    public void Add_at_the_root_replaces_the_document()
    {
        var result = Apply("""{"a":1}""", """[{"op":"add","path":"","value":{"b":2}}]""");

        Json.Equal("""{"b":2}""", Json.Parse(result));
    }

    [Fact]
    public void Add_under_a_missing_parent_fails_naming_the_path()
    {
        var message = Failure("""{"spec":{}}""", """[{"op":"add","path":"/spec/x/y","value":1}]""");

        Assert.Equal("add operation does not apply: doc is missing path: \"/spec/x/y\": missing value", message);
    }

    [Fact]
    public void Add_past_the_end_of_an_array_fails()
    {
        var message = Failure("""{"a":[1]}""", """[{"op":"add","path":"/a/2","value":2}]""");

        Assert.Equal("error in add for path: '/a/2': Unable to access invalid index: 2: invalid index referenced", message);
    }

    [Fact]
    public void Remove_deletes_a_member()
    {
        var result = Apply("""{"metadata":{"labels":{"a":"1","b":"2"}}}""", """[{"op":"remove","path":"/metadata/labels/a"}]""");

        Json.Equal("""{"metadata":{"labels":{"b":"2"}}}""", Json.Parse(result));
    }

    [Fact]
    public void Remove_deletes_an_array_element()
    {
        var result = Apply("""{"a":[1,2,3]}""", """[{"op":"remove","path":"/a/0"}]""");

        Json.Equal("""{"a":[2,3]}""", Json.Parse(result));
    }

    [Fact]
    public void Remove_of_a_missing_member_fails_naming_the_path()
    {
        var message = Failure("""{"spec":{}}""", """[{"op":"remove","path":"/spec/x"}]""");

        Assert.Equal("remove operation does not apply: doc is missing path: \"/spec/x\": missing value", message);
    }

    [Fact]
    public void Replace_changes_an_existing_value()
    {
        var result = Apply("""{"spec":{"replicas":1}}""", """[{"op":"replace","path":"/spec/replicas","value":5}]""");

        Json.Equal("""{"spec":{"replicas":5}}""", Json.Parse(result));
    }

    [Fact]
    public void Replace_of_a_missing_member_fails()
    {
        var message = Failure("""{"spec":{}}""", """[{"op":"replace","path":"/spec/replicas","value":5}]""");

        Assert.Equal("replace operation does not apply: doc is missing path: \"/spec/replicas\": missing value", message);
    }

    [Fact]
    public void Move_relocates_a_value()
    {
        var result = Apply("""{"a":{"x":1},"b":{}}""", """[{"op":"move","from":"/a/x","path":"/b/y"}]""");

        Json.Equal("""{"a":{},"b":{"y":1}}""", Json.Parse(result));
    }

    [Fact]
    public void Move_into_its_own_child_fails()
    {
        var message = Failure("""{"a":{"b":{}}}""", """[{"op":"move","from":"/a","path":"/a/b/c"}]""");

        Assert.Contains("move operation does not apply", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Move_from_a_missing_path_fails()
    {
        var message = Failure("""{"a":{}}""", """[{"op":"move","from":"/a/x","path":"/b"}]""");

        Assert.Equal("move operation does not apply: doc is missing from path: \"/a/x\": missing value", message);
    }

    [Fact]
    public void Copy_duplicates_a_value_without_sharing_it()
    {
        var result = Apply(
            """{"a":{"x":[1]}}""",
            """[{"op":"copy","from":"/a/x","path":"/b"},{"op":"add","path":"/b/-","value":2}]""");

        Json.Equal("""{"a":{"x":[1]},"b":[1,2]}""", Json.Parse(result));
    }

    [Fact]
    public void Test_passes_when_values_are_equal_ignoring_member_order_and_number_spelling()
    {
        var result = Apply(
            """{"a":{"x":1,"y":[true,null]}}""",
            """[{"op":"test","path":"/a","value":{"y":[true,null],"x":1.0}}]""");

        Json.Equal("""{"a":{"x":1,"y":[true,null]}}""", Json.Parse(result));
    }

    [Fact]
    public void Test_failure_names_the_path()
    {
        var message = Failure(
            """{"metadata":{"resourceVersion":"7"}}""",
            """[{"op":"test","path":"/metadata/resourceVersion","value":"6"}]""");

        Assert.Equal("testing value /metadata/resourceVersion failed: test failed", message);
    }

    [Fact]
    public void Pointer_tokens_unescape_tilde_and_slash()
    {
        var result = Apply(
            """{"metadata":{"annotations":{"example.com/a~b":"old"}}}""",
            """[{"op":"replace","path":"/metadata/annotations/example.com~1a~0b","value":"new"}]""");

        Json.Equal("""{"metadata":{"annotations":{"example.com/a~b":"new"}}}""", Json.Parse(result));
    }

    [Fact]
    public void A_failing_operation_leaves_the_target_unchanged()
    {
        var target = Json.Parse("""{"a":1}""");

        Assert.Throws<PatchException>(() => JsonPatch.Apply(
            target,
            Json.Array("""[{"op":"replace","path":"/a","value":2},{"op":"test","path":"/a","value":3}]""")));

        Json.Equal("""{"a":1}""", target);
    }

    [Fact]
    public void An_unknown_operation_fails()
    {
        var message = Failure("{}", """[{"op":"frobnicate","path":"/a"}]""");

        Assert.Equal("Unexpected kind: frobnicate", message);
    }
}
