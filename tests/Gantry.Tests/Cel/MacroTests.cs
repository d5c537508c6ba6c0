using Xunit;
using static Gantry.Tests.Cel.CelTestHelper;

namespace Gantry.Tests.Cel;

public sealed class MacroTests
{
    [Theory]
    [InlineData("[1, 2, 3].all(x, x > 0)", true)]
    [InlineData("[1, 2, 3].all(x, x > 1)", false)]
    [InlineData("[].all(x, false)", true)]
    [InlineData("{'a': 1, 'b': 2}.all(k, k.size() == 1)", true)]
    public void All_on_lists_and_map_keys(string expression, bool expected) => Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("[1, 2, 3].exists(x, x == 2)", true)]
    [InlineData("[].exists(x, true)", false)]
    [InlineData("{'a': 1, 'b': 2}.exists(k, k == 'b')", true)]
    public void Exists_on_lists_and_map_keys(string expression, bool expected) => Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("[1, 2, 3].exists_one(x, x > 2)", true)]
    [InlineData("[1, 2, 3].exists_one(x, x > 1)", false)]
    [InlineData("{'a': 1, 'b': 2}.exists_one(k, k == 'a')", true)]
    public void Exists_one_requires_exactly_one(string expression, bool expected) => Assert.Equal(expected, Eval(expression));

    [Fact]
    public void All_and_exists_absorb_errors_when_another_element_decides()
    {
        Assert.Equal(false, Eval("[0, 1].all(x, 1 / x > 5)"));
        Assert.Equal(true, Eval("[0, 1].exists(x, 1 / x == 1)"));
        Assert.Equal("division by zero", Error("[0, 1].all(x, 1 / x == 1)"));
        Assert.Equal("division by zero", Error("[0, 1].exists(x, 1 / x == 5)"));
    }

    [Fact]
    public void Map_transforms_and_optionally_filters()
    {
        Assert.Equal(List(2L, 4L, 6L), Eval("[1, 2, 3].map(x, x * 2)"));
        Assert.Equal(List(20L, 30L), Eval("[1, 2, 3].map(x, x > 1, x * 10)"));
        Assert.Equal(List("A", "B"), Eval("{'a': 1, 'b': 2}.map(k, k.upperAscii())"));
    }

    [Fact]
    public void Filter_keeps_matching_elements_and_keys()
    {
        Assert.Equal(List(2L, 4L), Eval("[1, 2, 3, 4].filter(x, x % 2 == 0)"));
        Assert.Equal(List("b"), Eval("{'a': 1, 'b': 2}.filter(k, k != 'a')"));
    }

    [Fact]
    public void Nested_comprehensions_shadow_and_restore_variables() =>
        Assert.Equal(true, Eval("[[1, 2], [3]].all(x, x.all(x, x > 0)) && [1].all(x, x == 1)"));

    [Fact]
    public void Macro_variables_shadow_declared_variables() =>
        Assert.Equal(true, Eval("[1].all(self, self == 1) && self == 'outer'", ("self", "outer")));

    [Fact]
    public void Cel_bind_names_a_value() => Assert.Equal(6L, Eval("cel.bind(x, 2 + 1, x * 2)"));

    [Fact]
    public void Macro_on_a_non_collection_is_no_such_overload() =>
        Assert.Contains("no such overload", Error("1.all(x, true)"));
}
