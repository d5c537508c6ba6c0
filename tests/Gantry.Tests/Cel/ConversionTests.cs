using Xunit;
using static Gantry.Tests.Cel.CelTestHelper;

namespace Gantry.Tests.Cel;

public sealed class ConversionTests
{
    [Theory]
    [InlineData("int('42')", 42L)]
    [InlineData("int(-3.9)", -3L)]
    [InlineData("int(7u)", 7L)]
    [InlineData("int(timestamp('1970-01-01T00:01:00Z'))", 60L)]
    public void Int_conversions(string expression, long expected) => Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("int('x')")]
    [InlineData("int(1e20)")]
    [InlineData("int(18446744073709551615u)")]
    [InlineData("uint(-1)")]
    public void Conversions_out_of_range_or_unparsable_are_errors(string expression) => Error(expression);

    [Theory]
    [InlineData("string(1)", "1")]
    [InlineData("string(1u)", "1")]
    [InlineData("string(1.5)", "1.5")]
    [InlineData("string(1.0)", "1")]
    [InlineData("string(1e20)", "1e+20")]
    [InlineData("string(true)", "true")]
    [InlineData("string(b'abc')", "abc")]
    [InlineData("string(duration('1h30m'))", "5400s")]
    [InlineData("string(duration('1.5s'))", "1.5s")]
    [InlineData("string(timestamp('2023-04-05T06:07:08.5+02:00'))", "2023-04-05T04:07:08.5Z")]
    [InlineData("string(type(1))", "int")]
    public void String_conversions_match_cel_go(string expression, string expected) => Assert.Equal(expected, Eval(expression));

    [Fact]
    public void Other_conversions()
    {
        Assert.Equal(2.0, Eval("double(2)"));
        Assert.Equal(2.5, Eval("double('2.5')"));
        Assert.Equal(3UL, Eval("uint(3)"));
        Assert.Equal(new byte[] { 0x61 }, Eval("bytes('a')"));
        Assert.Equal(true, Eval("bool('true')"));
        Assert.Equal(1L, Eval("dyn(1)"));
    }

    [Theory]
    [InlineData("type(1) == int")]
    [InlineData("type(1u) == uint")]
    [InlineData("type('a') == string")]
    [InlineData("type([]) == list && type({}) == map")]
    [InlineData("type(null) == null_type")]
    [InlineData("type(int) == type")]
    [InlineData("type(1) != double")]
    public void Type_values(string expression) => Assert.Equal(true, Eval(expression));

    [Theory]
    [InlineData("duration('1h30m')", 90 * 60.0)]
    [InlineData("duration('-1.5s')", -1.5)]
    [InlineData("duration('300ms')", 0.3)]
    [InlineData("duration('1m1s')", 61.0)]
    [InlineData("duration('0')", 0.0)]
    public void Durations_use_go_syntax(string expression, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Eval(expression));

    [Theory]
    [InlineData("duration('1')")]
    [InlineData("duration('1d')")]
    [InlineData("timestamp('2023-13-01T00:00:00Z')")]
    [InlineData("timestamp('yesterday')")]
    public void Invalid_time_strings_are_errors(string expression) => Error(expression);
}
