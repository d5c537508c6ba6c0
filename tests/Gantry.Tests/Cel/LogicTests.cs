using Gantry.Core.Cel;
using Xunit;
using static Gantry.Tests.Cel.CelTestHelper;

namespace Gantry.Tests.Cel;

public sealed class LogicTests
{
    [Theory]
    [InlineData("false && (1 / 0 == 1)")]
    [InlineData("(1 / 0 == 1) && false")]
    [InlineData("!(true || {}.missing)")]
    [InlineData("!({}.missing || true)")]
    public void False_and_error_is_false_and_true_or_error_is_true_on_either_side(string expression) =>
        Assert.Equal(false, Eval(expression));

    [Theory]
    [InlineData("true && (1 / 0 == 1)")]
    [InlineData("(1 / 0 == 1) || false")]
    public void Otherwise_the_error_stands(string expression) =>
        Assert.Equal("division by zero", Error(expression));

    [Fact]
    public void Logic_on_non_bools_is_no_such_overload() =>
        Assert.Contains("no such overload", Error("1 && true"));

    [Fact]
    public void Not_requires_a_bool() => Assert.Contains("no such overload", Error("!1"));

    [Fact]
    public void Ternary_condition_must_be_bool() => Assert.Contains("no such overload", Error("1 ? 2 : 3"));

    [Fact]
    public void Ternary_error_in_condition_propagates() =>
        Assert.Throws<CelEvaluationException>(() => Eval("(1 / 0 == 0) ? 1 : 2"));
}
