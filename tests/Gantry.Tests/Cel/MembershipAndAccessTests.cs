using Xunit;
using static Gantry.Tests.Cel.CelTestHelper;

namespace Gantry.Tests.Cel;

public sealed class MembershipAndAccessTests
{
    [Theory]
    [InlineData("2 in [1, 2, 3]", true)]
    [InlineData("2.0 in [1, 2, 3]", true)]
    [InlineData("'x' in [1, 2]", false)]
    [InlineData("'a' in {'a': 1}", true)]
    [InlineData("'b' in {'a': 1}", false)]
    [InlineData("1u in {1: 'one'}", true)]
    public void In_tests_list_membership_and_map_keys(string expression, bool expected) =>
        Assert.Equal(expected, Eval(expression));

    [Fact]
    public void Field_selection_reads_a_map_key_and_reports_a_missing_one()
    {
        Assert.Equal(1L, Eval("{'a': {'b': 1}}.a.b"));
        Assert.Equal("no such key: c", Error("{'a': 1}.c"));
    }

    [Fact]
    public void Has_tests_presence()
    {
        Assert.Equal(true, Eval("has({'a': null}.a)"));
        Assert.Equal(false, Eval("has({'a': 1}.b)"));
        Assert.Equal(false, EvalJson("has(self.spec.x)", """{"spec": {}}"""));
    }

    [Fact]
    public void Indexing_lists_and_maps()
    {
        Assert.Equal(20L, Eval("[10, 20][1]"));
        Assert.Equal(20L, Eval("[10, 20][1u]"));
        Assert.Equal("index out of range: 2", Error("[10, 20][2]"));
        Assert.Equal("index out of range: -1", Error("[10, 20][-1]"));
        Assert.Equal("v", Eval("{'k-1': 'v'}['k-1']"));
        Assert.Equal("no such key: z", Error("{'k': 'v'}['z']"));
    }

    [Fact]
    public void Escaped_property_names_select_the_kubernetes_property() =>
        Assert.Equal(true, EvalJson("self.__namespace__ == 'a' && self.x__dash__y == 1", """{"namespace": "a", "x-y": 1}"""));
}
