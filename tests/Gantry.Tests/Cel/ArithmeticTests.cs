using Xunit;
using static Gantry.Tests.Cel.CelTestHelper;

namespace Gantry.Tests.Cel;

public sealed class ArithmeticTests
{
    [Theory]
    [InlineData("9223372036854775807 + 1")]
    [InlineData("-9223372036854775808 - 1")]
    [InlineData("9223372036854775807 * 2")]
    [InlineData("-(-9223372036854775808)")]
    [InlineData("-9223372036854775808 / -1")]
    [InlineData("18446744073709551615u + 1u")]
    [InlineData("0u - 1u")]
    public void Integer_overflow_is_an_error(string expression) => Assert.Equal("integer overflow", Error(expression));

    [Fact]
    public void Division_and_modulus_by_zero_are_errors()
    {
        Assert.Equal("division by zero", Error("1 / 0"));
        Assert.Equal("modulus by zero", Error("1 % 0"));
        Assert.Equal("division by zero", Error("1u / 0u"));
    }

    [Fact]
    public void Integer_division_truncates_toward_zero()
    {
        Assert.Equal(-2L, Eval("-7 / 3"));
        Assert.Equal(-1L, Eval("-7 % 3"));
    }

    [Fact]
    public void Double_arithmetic_is_ieee()
    {
        Assert.Equal(double.PositiveInfinity, Eval("1.0 / 0.0"));
        Assert.Equal(0.5, Eval("0.25 + 0.25"));
    }

    [Theory]
    [InlineData("1 + 1.0")]
    [InlineData("1 + 1u")]
    [InlineData("'a' + 1")]
    [InlineData("5.0 % 2.0")]
    [InlineData("-1u")]
    public void Mixing_kinds_in_arithmetic_is_no_such_overload(string expression) =>
        Assert.Contains("no such overload", Error(expression));

    [Fact]
    public void Plus_concatenates_strings_bytes_and_lists()
    {
        Assert.Equal("ab", Eval("'a' + 'b'"));
        Assert.Equal(new byte[] { 1, 2 }, Eval("b'\\x01' + b'\\x02'"));
        Assert.Equal(List(1L, 2L, 3L), Eval("[1] + [2, 3]"));
    }

    [Fact]
    public void Time_arithmetic()
    {
        Assert.Equal(DateTimeOffset.Parse("2020-01-01T01:30:00Z", System.Globalization.CultureInfo.InvariantCulture),
            Eval("timestamp('2020-01-01T00:00:00Z') + duration('1h30m')"));
        Assert.Equal(TimeSpan.FromHours(24), Eval("timestamp('2020-01-02T00:00:00Z') - timestamp('2020-01-01T00:00:00Z')"));
        Assert.Equal(TimeSpan.FromMinutes(90), Eval("duration('1h') + duration('30m')"));
        Assert.Equal(true, Eval("timestamp('2020-01-01T00:00:00Z') - duration('1s') < timestamp('2020-01-01T00:00:00Z')"));
    }
}
