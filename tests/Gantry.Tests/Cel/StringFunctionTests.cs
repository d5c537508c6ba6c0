using Gantry.Core.Cel;
using Xunit;
using static Gantry.Tests.Cel.CelTestHelper;

namespace Gantry.Tests.Cel;

public sealed class StringFunctionTests
{
    [Theory]
    [InlineData("size('héllo')", 5L)]
    [InlineData("'😀a'.size()", 2L)]
    [InlineData("size(b'ab')", 2L)]
    [InlineData("[1, 2].size()", 2L)]
    [InlineData("size({'a': 1})", 1L)]
    public void Size_counts_code_points_bytes_elements_and_entries(string expression, long expected) =>
        Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("'hello'.contains('ell')")]
    [InlineData("'hello'.startsWith('he')")]
    [InlineData("'hello'.endsWith('lo')")]
    [InlineData("!'hello'.contains('L')")]
    public void Contains_starts_with_ends_with(string expression) => Assert.Equal(true, Eval(expression));

    [Theory]
    [InlineData("'hello'.charAt(1)", "e")]
    [InlineData("'hello'.charAt(5)", "")]
    [InlineData("'HeLLo'.lowerAscii()", "hello")]
    [InlineData("'héllo'.upperAscii()", "HéLLO")]
    [InlineData("'a-b-c'.replace('-', '+')", "a+b+c")]
    [InlineData("'a-b-c'.replace('-', '+', 1)", "a+b-c")]
    [InlineData("'hello'.substring(1)", "ello")]
    [InlineData("'h😀llo'.substring(1, 3)", "😀l")]
    [InlineData("'  x y \\t'.trim()", "x y")]
    [InlineData("['a', 'b'].join()", "ab")]
    [InlineData("['a', 'b'].join(', ')", "a, b")]
    [InlineData("strings.quote('a\"b\\n')", "\"a\\\"b\\n\"")]
    public void String_extension_functions(string expression, string expected) => Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("'hello'.indexOf('l')", 2L)]
    [InlineData("'hello'.indexOf('l', 3)", 3L)]
    [InlineData("'hello'.indexOf('z')", -1L)]
    [InlineData("'hello'.lastIndexOf('l')", 3L)]
    [InlineData("'hello'.lastIndexOf('l', 2)", 2L)]
    [InlineData("'😀llo'.indexOf('l')", 1L)]
    public void Index_of_counts_code_points(string expression, long expected) => Assert.Equal(expected, Eval(expression));

    [Fact]
    public void Split_follows_go_split_n()
    {
        Assert.Equal(List("a", "b", "c"), Eval("'a,b,c'.split(',')"));
        Assert.Equal(List("a", "b,c"), Eval("'a,b,c'.split(',', 2)"));
        Assert.Equal(List(), Eval("'a,b,c'.split(',', 0)"));
        Assert.Equal(List("a", "b"), Eval("'ab'.split('')"));
    }

    [Fact]
    public void Out_of_range_indexes_are_errors()
    {
        Assert.Equal("index out of range: 6", Error("'hello'.charAt(6)"));
        Assert.Contains("index out of range", Error("'hello'.substring(7)"));
        Assert.Contains("invalid substring range", Error("'hello'.substring(3, 1)"));
        Assert.Contains("index out of range", Error("'hello'.indexOf('l', 9)"));
    }

    [Fact]
    public void Join_of_non_strings_is_no_such_overload() => Assert.Contains("no such overload", Error("[1, 2].join()"));

    [Fact]
    public void String_function_on_wrong_type_is_no_such_overload() =>
        Assert.Throws<CelEvaluationException>(() => Eval("1.startsWith('a')"));
}
