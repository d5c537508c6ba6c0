using Xunit;
using static Gantry.Tests.Cel.CelTestHelper;

namespace Gantry.Tests.Cel;

public sealed class PrecedenceTests
{
    [Theory]
    [InlineData("1 + 2 * 3", 7L)]
    [InlineData("(1 + 2) * 3", 9L)]
    [InlineData("10 - 4 - 3", 3L)]
    [InlineData("100 / 10 / 5", 2L)]
    [InlineData("7 % 4 * 2", 6L)]
    [InlineData("-2 * 3", -6L)]
    [InlineData("--5", 5L)]
    [InlineData("-(1 + 2)", -3L)]
    public void Arithmetic_precedence_and_left_associativity(string expression, long expected) =>
        Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("1 + 1 == 2 && 3 < 4", true)]
    [InlineData("true || false && false", true)]
    [InlineData("!false && true", true)]
    [InlineData("!!true", true)]
    [InlineData("1 < 2 == true", true)]
    [InlineData("2 in [1, 2] && !(3 in [1, 2])", true)]
    public void Relations_bind_tighter_than_logic(string expression, bool expected) =>
        Assert.Equal(expected, Eval(expression));

    [Fact]
    public void Ternary_is_lowest_and_right_associative()
    {
        Assert.Equal("b", Eval("false ? 'a' : true ? 'b' : 'c'"));
        Assert.Equal(2L, Eval("1 > 2 || false ? 1 : 2"));
    }

    [Fact]
    public void Ternary_evaluates_only_the_chosen_branch() =>
        Assert.Equal(1L, Eval("true ? 1 : 1 / 0"));

    [Fact]
    public void Member_access_binds_tighter_than_unary() =>
        Assert.Equal(-3L, Eval("-'abc'.size()"));

    [Fact]
    public void Long_logical_chains_are_balanced() =>
        Assert.Equal(true, Eval(string.Join(" && ", Enumerable.Repeat("true", 2000))));
}
