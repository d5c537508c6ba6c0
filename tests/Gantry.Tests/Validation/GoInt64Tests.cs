using Gantry.Core.Validation;
using Xunit;

namespace Gantry.Tests.Validation;

public sealed class GoInt64Tests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("-1", -1L)]
    [InlineData("+5", 5L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    public void A_signed_decimal_in_64_bits_parses(string text, long expected)
    {
        Assert.True(GoInt64.TryParse(text, out var value, out _));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("abc", "strconv.ParseInt: parsing \"abc\": invalid syntax")]
    [InlineData("", "strconv.ParseInt: parsing \"\": invalid syntax")]
    [InlineData("-", "strconv.ParseInt: parsing \"-\": invalid syntax")]
    [InlineData(" 1", "strconv.ParseInt: parsing \" 1\": invalid syntax")]
    [InlineData("1_000", "strconv.ParseInt: parsing \"1_000\": invalid syntax")]
    [InlineData("0x10", "strconv.ParseInt: parsing \"0x10\": invalid syntax")]
    [InlineData("１", "strconv.ParseInt: parsing \"１\": invalid syntax")]
    public void Anything_but_a_sign_and_ascii_digits_is_invalid_syntax_in_gos_words(string text, string expected)
    {
        Assert.False(GoInt64.TryParse(text, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("9223372036854775808")]
    [InlineData("-9223372036854775809")]
    public void A_number_beyond_64_bits_is_out_of_range(string text)
    {
        Assert.False(GoInt64.TryParse(text, out _, out var error));
        Assert.Equal($"strconv.ParseInt: parsing \"{text}\": value out of range", error);
    }

    [Fact]
    public void Digits_that_overflow_before_junk_are_out_of_range_as_go_stops_at_the_overflow()
    {
        Assert.False(GoInt64.TryParse("99999999999999999999x", out _, out var error));
        Assert.Equal("strconv.ParseInt: parsing \"99999999999999999999x\": value out of range", error);
    }
}
