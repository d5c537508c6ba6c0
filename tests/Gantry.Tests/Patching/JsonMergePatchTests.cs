using System.Text.Json.Nodes;
using Gantry.Core.Patching;
using Xunit;

namespace Gantry.Tests.Patching;

public sealed class JsonMergePatchTests
{
    [Theory]
    [InlineData("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"a":null}""", """{}""")]
    [InlineData("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [InlineData("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [InlineData("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [InlineData("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [InlineData("""["a","b"]""", """["c","d"]""", """["c","d"]""")]
    [InlineData("""{"a":"b"}""", """["c"]""", """["c"]""")]
    [InlineData("""{"a":"foo"}""", "null", "null")]
    [InlineData("""{"a":"foo"}""", "\"bar\"", "\"bar\"")]
    [InlineData("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [InlineData("[1,2]", """{"a":"b","c":null}""", """{"a":"b"}""")]
    [InlineData("{}", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    public void Matches_every_example_of_RFC_7386_appendix_A(string target, string patch, string expected)
    {
        var result = JsonMergePatch.Apply(JsonNode.Parse(target), JsonNode.Parse(patch));

        Json.Equal(expected, result);
    }

    [Fact]
    public void Creates_the_document_when_there_is_no_target()
    {
        var result = JsonMergePatch.Apply(null, Json.Parse("""{"metadata":{"labels":{"app":"web","x":null}}}"""));

        Json.Equal("""{"metadata":{"labels":{"app":"web"}}}""", result);
    }

    [Fact]
    public void Leaves_target_and_patch_unchanged()
    {
        var target = Json.Parse("""{"spec":{"replicas":1}}""");
        var patch = Json.Parse("""{"spec":{"replicas":3,"paused":true}}""");

        var result = JsonMergePatch.Apply(target, patch);
        result!["spec"]!["paused"] = false;

        Json.Equal("""{"spec":{"replicas":1}}""", target);
        Json.Equal("""{"spec":{"replicas":3,"paused":true}}""", patch);
    }
}
