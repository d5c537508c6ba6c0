using Gantry.Core.Cel;
using Xunit;
using static Gantry.Tests.Cel.CelTestHelper;

namespace Gantry.Tests.Cel;

public sealed class RegexTests
{
    [Theory]
    [InlineData("'abc'.matches('^[a-z]+$')", true)]
    [InlineData("'abc1'.matches('^[a-z]+$')", false)]
    [InlineData("'xabcx'.matches('abc')", true)]
    [InlineData("matches('abc', 'b')", true)]
    [InlineData("'abc\\n'.matches('^abc$')", false)]
    [InlineData("'١٢'.matches('^\\\\d+$')", false)]
    [InlineData("'AbC'.matches('(?i)^abc$')", true)]
    [InlineData("'a.b'.matches('^(?P<x>a)\\\\.b$')", true)]
    [InlineData("'Ab'.matches('^[[:upper:]][[:lower:]]$')", true)]
    public void Matches_uses_re2_semantics(string expression, bool expected) => Assert.Equal(expected, Eval(expression));

    [Fact]
    public void Find_and_find_all()
    {
        Assert.Equal("123", Eval("'abc 123 def 456'.find('[0-9]+')"));
        Assert.Equal("", Eval("'abc'.find('[0-9]+')"));
        Assert.Equal(List("123", "456"), Eval("'abc 123 def 456'.findAll('[0-9]+')"));
        Assert.Equal(List("123"), Eval("'abc 123 def 456'.findAll('[0-9]+', 1)"));
    }

    [Theory]
    [InlineData("'a'.matches('(a)\\\\1')")]
    [InlineData("'a'.matches('a(?=b)')")]
    [InlineData("'a'.matches('[')")]
    public void Constructs_re2_rejects_are_compile_errors_for_constant_patterns(string expression) =>
        Assert.Throws<CelCompileException>(() => Eval(expression));

    [Fact]
    public void An_invalid_pattern_at_runtime_is_an_evaluation_error() =>
        Assert.Contains("error parsing regexp", Error("'a'.matches(p)", ("p", "(")));
}
