using Xunit;
using static Gantry.Tests.Cel.CelTestHelper;

namespace Gantry.Tests.Cel;

public sealed class TimeTests
{
    private const string T = "timestamp('2023-03-15T13:45:30.250Z')";

    [Theory]
    [InlineData(T + ".getFullYear()", 2023L)]
    [InlineData(T + ".getMonth()", 2L)]
    [InlineData(T + ".getDayOfMonth()", 14L)]
    [InlineData(T + ".getDate()", 15L)]
    [InlineData(T + ".getDayOfWeek()", 3L)]
    [InlineData(T + ".getDayOfYear()", 73L)]
    [InlineData(T + ".getHours()", 13L)]
    [InlineData(T + ".getMinutes()", 45L)]
    [InlineData(T + ".getSeconds()", 30L)]
    [InlineData(T + ".getMilliseconds()", 250L)]
    [InlineData(T + ".getHours('+02:00')", 15L)]
    [InlineData(T + ".getHours('-05:30')", 8L)]
    public void Timestamp_accessors_read_utc_or_the_given_offset(string expression, long expected) =>
        Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("duration('1h30m').getHours()", 1L)]
    [InlineData("duration('1h30m').getMinutes()", 90L)]
    [InlineData("duration('1m5s').getSeconds()", 65L)]
    [InlineData("duration('1.5s').getMilliseconds()", 1500L)]
    public void Duration_accessors_give_totals(string expression, long expected) => Assert.Equal(expected, Eval(expression));
}
