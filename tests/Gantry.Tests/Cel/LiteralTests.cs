using Gantry.Core.Cel;
using Xunit;
using static Gantry.Tests.Cel.CelTestHelper;

namespace Gantry.Tests.Cel;

public sealed class LiteralTests
{
    [Theory]
    [InlineData("42", 42L)]
    [InlineData("0x1F", 31L)]
    [InlineData("-9223372036854775808", long.MinValue)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void Int_literals_are_longs(string expression, long expected) => Assert.Equal(expected, Eval(expression));

    [Fact]
    public void Uint_literals_carry_a_u_suffix()
    {
        Assert.Equal(1UL, Eval("1u"));
        Assert.Equal(255UL, Eval("0xFFu"));
        Assert.Equal(18446744073709551615UL, Eval("18446744073709551615u"));
    }

    [Theory]
    [InlineData("1.5", 1.5)]
    [InlineData("1e3", 1000.0)]
    [InlineData("2.5E-1", 0.25)]
    [InlineData(".5", 0.5)]
    [InlineData("-0.5", -0.5)]
    public void Double_literals(string expression, double expected) => Assert.Equal(expected, Eval(expression));

    [Fact]
    public void Int_literal_out_of_range_is_a_syntax_error() =>
        Assert.Throws<CelCompileException>(() => Eval("9223372036854775808"));

    [Theory]
    [InlineData("'abc'", "abc")]
    [InlineData("\"abc\"", "abc")]
    [InlineData("'''a\nb'''", "a\nb")]
    [InlineData("\"\"\"it's \"quoted\" \"\"\"", "it's \"quoted\" ")]
    [InlineData("r'a\\nb'", "a\\nb")]
    [InlineData("'a\\tb\\\\c\\'d'", "a\tb\\c'd")]
    [InlineData("'\\u00e9\\U0001F600'", "é😀")]
    [InlineData("'\\x41\\101'", "AA")]
    [InlineData("'\\a\\b\\f\\v\\r\\n\\?\\`'", "\a\b\f\v\r\n?`")]
    public void String_literals_and_escapes(string expression, string expected) => Assert.Equal(expected, Eval(expression));

    [Fact]
    public void Bytes_literals_take_hex_and_octal_escapes_as_single_bytes()
    {
        Assert.Equal(new byte[] { 0xFF, 0x41, 0x00 }, Eval("b'\\xff\\101\\000'"));
        Assert.Equal(new byte[] { 0xC3, 0xA9 }, Eval("b'é'"));
    }

    [Fact]
    public void Null_bool_list_and_map_literals()
    {
        Assert.Null(Eval("null"));
        Assert.Equal(true, Eval("true"));
        Assert.Equal(List(1L, "a", null), Eval("[1, 'a', null,]"));
        var map = Assert.IsType<CelMap>(Eval("{'a': 1, 2: true}"));
        Assert.Equal(1L, map["a"]);
        Assert.Equal(true, map[2L]);
    }

    [Fact]
    public void Invalid_escape_is_a_syntax_error() =>
        Assert.Throws<CelCompileException>(() => Eval("'\\q'"));

    [Fact]
    public void Newline_in_single_quoted_string_is_a_syntax_error() =>
        Assert.Throws<CelCompileException>(() => Eval("'a\nb'"));

    [Fact]
    public void Repeated_map_key_is_an_evaluation_error() =>
        Assert.Contains("repeated key", Error("{'a': 1, 'a': 2}"));

    [Fact]
    public void Comments_are_ignored() => Assert.Equal(3L, Eval("1 + // one\n 2"));
}
