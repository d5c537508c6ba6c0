using Gantry.Core.Validation;
using Xunit;

namespace Gantry.Tests.Validation;

public sealed class GoRfc3339Tests
{
    private const string As = "as \"2006-01-02T15:04:05Z07:00\": ";

    [Fact]
    public void A_utc_time_parses()
    {
        Assert.True(GoRfc3339.TryParse("2024-05-01T12:30:45Z", out var time, out _));
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 12, 30, 45, TimeSpan.Zero), time);
    }

    [Fact]
    public void An_offset_is_applied_to_give_the_instant()
    {
        Assert.True(GoRfc3339.TryParse("2024-01-01T00:00:00+02:00", out var time, out _));
        Assert.Equal(new DateTimeOffset(2023, 12, 31, 22, 0, 0, TimeSpan.Zero), time);
    }

    [Fact]
    public void A_fraction_after_a_period_or_comma_counts_to_the_nanosecond_and_no_further()
    {
        Assert.True(GoRfc3339.TryParse("2024-01-01T00:00:00.123456789123Z", out var period, out _));
        Assert.True(GoRfc3339.TryParse("2024-01-01T00:00:00,5Z", out var comma, out _));

        Assert.Equal(1_234_567, period.Ticks % TimeSpan.TicksPerSecond);
        Assert.Equal(TimeSpan.TicksPerSecond / 2, comma.Ticks % TimeSpan.TicksPerSecond);
    }

    [Fact]
    public void A_one_digit_hour_is_accepted_as_go_accepts_it()
    {
        Assert.True(GoRfc3339.TryParse("2024-01-01T1:02:03Z", out var time, out _));
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 1, 2, 3, TimeSpan.Zero), time);
    }

    [Fact]
    public void An_offset_of_24_hours_is_accepted_as_go_accepts_it()
    {
        Assert.True(GoRfc3339.TryParse("2024-01-01T00:00:00-24:00", out var time, out _));
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.Zero), time);
    }

    [Fact]
    public void Year_zero_which_go_accepts_is_held_as_the_first_instant()
    {
        Assert.True(GoRfc3339.TryParse("0000-01-01T00:00:00Z", out var time, out _));
        Assert.Equal(DateTimeOffset.MinValue, time);
    }

    [Fact]
    public void An_instant_reached_from_year_zero_through_an_offset_is_exact()
    {
        Assert.True(GoRfc3339.TryParse("0000-12-31T23:00:00-02:00", out var time, out _));
        Assert.Equal(new DateTimeOffset(1, 1, 1, 1, 0, 0, TimeSpan.Zero), time);
    }

    [Theory]
    [InlineData("yesterday", "cannot parse \"yesterday\" as \"2006\"")]
    [InlineData("2a24-01-01T00:00:00Z", "cannot parse \"2a24-01-01T00:00:00Z\" as \"2006\"")]
    [InlineData("2024/01/01T00:00:00Z", "cannot parse \"/01/01T00:00:00Z\" as \"-\"")]
    [InlineData("2024-1-01T00:00:00Z", "cannot parse \"1-01T00:00:00Z\" as \"01\"")]
    [InlineData("2024-01-01", "cannot parse \"\" as \"T\"")]
    [InlineData("2024-01-01t00:00:00Z", "cannot parse \"t00:00:00Z\" as \"T\"")]
    [InlineData("2024-01-01 00:00:00Z", "cannot parse \" 00:00:00Z\" as \"T\"")]
    [InlineData("2024-01-01T00:00:00", "cannot parse \"\" as \"Z07:00\"")]
    [InlineData("2024-01-01T00:00:00z", "cannot parse \"z\" as \"Z07:00\"")]
    [InlineData("2024-01-01T00:00:00+0200", "cannot parse \"+0200\" as \"Z07:00\"")]
    [InlineData("2024-01-01T00:00:00+1a:00", "cannot parse \"+1a:00\" as \"Z07:00\"")]
    [InlineData("2024-01-01T00:00:00 02:00", "cannot parse \" 02:00\" as \"Z07:00\"")]
    public void A_value_off_the_layout_names_the_element_and_what_was_left_in_gos_words(string text, string problem)
    {
        Assert.False(GoRfc3339.TryParse(text, out _, out var error));
        Assert.Equal($"parsing time \"{text}\" {As}{problem}", error);
    }

    [Theory]
    [InlineData("2024-13-01T00:00:00Z", "month out of range")]
    [InlineData("2023-02-29T00:00:00Z", "day out of range")]
    [InlineData("2024-01-01T24:00:00Z", "hour out of range")]
    [InlineData("2024-01-01T00:60:00Z", "minute out of range")]
    [InlineData("2024-01-01T00:00:60Z", "second out of range")]
    [InlineData("2024-01-01T00:00:00+25:00", "time zone offset hour out of range")]
    [InlineData("2024-01-01T00:00:00+25:61", "time zone offset minute out of range")]
    [InlineData("2024-01-01T00:00:00Zjunk", "extra text: \"junk\"")]
    public void A_value_out_of_range_is_named_in_gos_words(string text, string problem)
    {
        Assert.False(GoRfc3339.TryParse(text, out _, out var error));
        Assert.Equal($"parsing time \"{text}\": {problem}", error);
    }

    [Fact]
    public void Leap_day_is_a_day_in_a_leap_year()
    {
        Assert.True(GoRfc3339.TryParse("2024-02-29T00:00:00Z", out _, out _));
    }

    [Fact]
    public void Non_ascii_bytes_are_quoted_as_hex_as_the_time_package_quotes_them()
    {
        Assert.False(GoRfc3339.TryParse("é\"", out _, out var error));
        Assert.Equal($"parsing time \"\\xc3\\xa9\\\"\" {As}cannot parse \"\\xc3\\xa9\\\"\" as \"2006\"", error);
    }
}
