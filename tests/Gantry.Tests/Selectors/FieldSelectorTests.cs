using Gantry.Core.Selectors;
using Xunit;

namespace Gantry.Tests.Selectors;

public sealed class FieldSelectorTests
{
    private static Func<string, string?> Fields(params string[] pairs)
    {
        var map = pairs.Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        return field => map.GetValueOrDefault(field);
    }

    [Fact]
    public void Equality_and_inequality_terms_must_all_hold()
    {
        var selector = FieldSelector.Parse("spec.nodeName=node-1,status.phase!=Succeeded,status.phase!=Failed");

        Assert.True(selector.Matches(Fields("spec.nodeName=node-1", "status.phase=Running")));
        Assert.False(selector.Matches(Fields("spec.nodeName=node-1", "status.phase=Failed")));
        Assert.False(selector.Matches(Fields("spec.nodeName=node-2", "status.phase=Running")));
    }

    [Fact]
    public void Double_equals_is_an_equality_term()
    {
        var requirement = FieldSelector.Parse("metadata.name==web").Terms.Single();

        Assert.Equal(new FieldRequirement("metadata.name", SelectorOperator.Equals, "web"), requirement);
    }

    [Fact]
    public void Absent_field_reads_as_empty()
    {
        Assert.True(FieldSelector.Parse("spec.nodeName=").Matches(Fields()));
        Assert.True(FieldSelector.Parse("involvedObject.namespace=").Matches(Fields("involvedObject.namespace=")));
    }

    [Fact]
    public void Escaped_separators_belong_to_the_value()
    {
        var selector = FieldSelector.Parse(@"metadata.name=a\,b\=c\\d,metadata.namespace=x");

        Assert.Equal(@"a,b=c\d", selector.Terms.Single(r => r.Field == "metadata.name").Value);
        Assert.Equal(2, selector.Terms.Count);
    }

    [Fact]
    public void Terms_are_exposed_so_the_server_can_reject_unsupported_fields()
    {
        var selector = FieldSelector.Parse("status.phase=Running,metadata.name=web");

        Assert.Equal(["metadata.name", "status.phase"], selector.Terms.Select(r => r.Field));
    }

    [Fact]
    public void ToString_escapes_values()
    {
        Assert.Equal(@"metadata.name=a\,b", FieldSelector.Parse(@"metadata.name=a\,b").ToString());
    }

    [Theory]
    [InlineData("foo", "invalid selector: 'foo'; can't understand 'foo'")]
    [InlineData(@"a=b\x", @"invalid field selector: invalid escape sequence: \x")]
    [InlineData(@"a=b\", @"invalid field selector: invalid escape sequence: \")]
    [InlineData("a=b=c", "invalid field selector: unescaped character in value: 61")]
    public void Invalid_selectors_are_rejected_with_the_apiserver_message(string text, string message)
    {
        var error = Assert.Throws<SelectorParseException>(() => FieldSelector.Parse(text));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Empty_text_matches_everything()
    {
        var selector = FieldSelector.Parse("");

        Assert.True(selector.IsEmpty);
        Assert.True(selector.Matches(Fields("x=y")));
    }

    [Fact]
    public void Exact_match_is_reported_for_equality_terms()
    {
        var selector = FieldSelector.Parse("metadata.name=web,status.phase!=Failed");

        Assert.True(selector.TryGetExactMatch("metadata.name", out var name));
        Assert.Equal("web", name);
        Assert.False(selector.TryGetExactMatch("status.phase", out _));
    }
}
