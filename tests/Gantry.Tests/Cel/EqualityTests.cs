using Xunit;
using static Gantry.Tests.Cel.CelTestHelper;

namespace Gantry.Tests.Cel;

public sealed class EqualityTests
{
    [Theory]
    [InlineData("1 == 1.0")]
    [InlineData("1 == 1u")]
    [InlineData("1u == 1.0")]
    [InlineData("-1 != 18446744073709551615u")]
    [InlineData("9223372036854775807 != 9223372036854775808.0")]
    public void Numbers_compare_by_value_across_int_uint_and_double(string expression) =>
        Assert.Equal(true, Eval(expression));

    [Theory]
    [InlineData("1 == '1'")]
    [InlineData("null == false")]
    [InlineData("[1] == {1: 1}")]
    [InlineData("'a' == b'a'")]
    public void Different_kinds_are_unequal_not_an_error(string expression) => Assert.Equal(false, Eval(expression));

    [Theory]
    [InlineData("[1, [2, 'x']] == [1.0, [2u, 'x']]", true)]
    [InlineData("[1, 2] == [2, 1]", false)]
    [InlineData("{'a': 1, 'b': [2]} == {'b': [2], 'a': 1u}", true)]
    [InlineData("{'a': 1} == {'a': 1, 'b': 2}", false)]
    [InlineData("{1: 'x'} == {1u: 'x'}", true)]
    public void Lists_and_maps_compare_deeply(string expression, bool expected) => Assert.Equal(expected, Eval(expression));

    [Fact]
    public void Nan_equals_nothing() => Assert.Equal(false, Eval("double('NaN') == double('NaN')"));

    [Theory]
    [InlineData("1 < 1.5")]
    [InlineData("2u > 1")]
    [InlineData("-1 < 0u")]
    [InlineData("'a' < 'b'")]
    [InlineData("'abc' < 'abd'")]
    [InlineData("b'a' < b'b'")]
    [InlineData("false < true")]
    [InlineData("duration('1s') < duration('1m')")]
    [InlineData("timestamp('2020-01-01T00:00:00Z') < timestamp('2021-01-01T00:00:00Z')")]
    [InlineData("2 >= 2.0 && 2 <= 2u")]
    public void Ordering_of_numbers_strings_bytes_bools_and_time(string expression) => Assert.Equal(true, Eval(expression));

    [Theory]
    [InlineData("1 < 'a'")]
    [InlineData("[1] < [2]")]
    [InlineData("null < 1")]
    public void Ordering_of_other_mixes_is_no_such_overload(string expression) =>
        Assert.Contains("no such overload", Error(expression));
}
