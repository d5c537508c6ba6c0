using System.Globalization;
using Gantry.Core.Cron;
using Xunit;

namespace Gantry.Tests.Cron;

/// <summary>The schedule parser against robfig/cron's behaviour and error messages (which kube returns verbatim).</summary>
public sealed class CronParserTests
{
    private static readonly TimeZoneInfo NewYork = TimeZones.Find("America/New_York")!;

    private static DateTimeOffset At(string time) => DateTimeOffset.Parse(time, CultureInfo.InvariantCulture);

    private static string Next(string spec, string from, TimeZoneInfo? zone = null)
    {
        var next = CronParser.Parse(spec, zone ?? TimeZoneInfo.Utc).Next(At(from));
        return next!.Value.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
    }

    private static string Error(string spec) => Assert.Throws<CronFormatException>(() => CronParser.Parse(spec, TimeZoneInfo.Utc)).Message;

    [Theory]
    [InlineData("*/1 * * * *", "2024-05-01T12:00:30+00:00", "2024-05-01T12:01:00+00:00")]
    [InlineData("*/15 * * * *", "2024-05-01T12:01:00+00:00", "2024-05-01T12:15:00+00:00")]
    [InlineData("5 * * * *", "2024-05-01T12:05:00+00:00", "2024-05-01T13:05:00+00:00")]
    [InlineData("0 9-17/4 * * *", "2024-05-01T09:00:00+00:00", "2024-05-01T13:00:00+00:00")]
    [InlineData("0 0 1,15 * *", "2024-05-02T00:00:00+00:00", "2024-05-15T00:00:00+00:00")]
    [InlineData("30 6 * * *", "2024-12-31T07:00:00+00:00", "2025-01-01T06:30:00+00:00")]
    public void Fields_take_stars_lists_ranges_and_steps(string spec, string from, string expected) =>
        Assert.Equal(expected, Next(spec, from));

    [Theory]
    [InlineData("0 0 1 JAN *", "2024-05-01T00:00:00+00:00", "2025-01-01T00:00:00+00:00")]
    [InlineData("0 0 * * mon-fri", "2024-05-04T00:00:00+00:00", "2024-05-06T00:00:00+00:00")]
    [InlineData("0 0 * * SUN", "2024-05-01T00:00:00+00:00", "2024-05-05T00:00:00+00:00")]
    [InlineData("0 0 ? * 6", "2024-05-01T00:00:00+00:00", "2024-05-04T00:00:00+00:00")]
    public void Months_and_weekdays_may_be_named(string spec, string from, string expected) =>
        Assert.Equal(expected, Next(spec, from));

    [Theory]
    [InlineData("@yearly", "2025-01-01T00:00:00+00:00")]
    [InlineData("@annually", "2025-01-01T00:00:00+00:00")]
    [InlineData("@monthly", "2024-06-01T00:00:00+00:00")]
    [InlineData("@weekly", "2024-05-05T00:00:00+00:00")]
    [InlineData("@daily", "2024-05-02T00:00:00+00:00")]
    [InlineData("@midnight", "2024-05-02T00:00:00+00:00")]
    [InlineData("@hourly", "2024-05-01T13:00:00+00:00")]
    [InlineData("@every 90s", "2024-05-01T12:01:40+00:00")]
    public void Descriptors_stand_for_whole_schedules(string spec, string expected) =>
        Assert.Equal(expected, Next(spec, "2024-05-01T12:00:10+00:00"));

    [Fact]
    public void Restricted_day_of_month_and_day_of_week_match_either()
    {
        // The 13th (a Monday in May 2024) or any Friday: Friday the 3rd comes first.
        Assert.Equal("2024-05-03T00:00:00+00:00", Next("0 0 13 * 5", "2024-05-01T00:00:00+00:00"));
        Assert.Equal("2024-05-13T00:00:00+00:00", Next("0 0 13 * 5", "2024-05-10T00:00:00+00:00"));
    }

    [Fact]
    public void A_starred_day_of_week_leaves_day_of_month_alone_deciding() =>
        Assert.Equal("2024-05-13T00:00:00+00:00", Next("0 0 13 * *", "2024-05-01T00:00:00+00:00"));

    [Fact]
    public void A_stepped_star_counts_as_a_restriction() =>
        // "*/2" over weekdays is not a star, so the 13th or an even weekday (Sun, Tue, Thu, Sat) matches.
        Assert.Equal("2024-05-02T00:00:00+00:00", Next("0 0 13 * */2", "2024-05-01T00:00:00+00:00"));

    [Theory]
    // robfig's own DST cases, in New York: 2:30 on the day clocks skip it does not exist that year.
    [InlineData("30 2 11 Mar *", "2012-03-11T00:00:00-05:00", "2013-03-11T02:30:00-04:00")]
    [InlineData("0 * * * *", "2012-03-11T01:00:00-05:00", "2012-03-11T03:00:00-04:00")]
    [InlineData("0 2 * * *", "2012-03-11T00:00:00-05:00", "2012-03-12T02:00:00-04:00")]
    [InlineData("0 1 * * *", "2012-03-11T01:00:00-05:00", "2012-03-12T01:00:00-04:00")]
    // When they go back, the repeated hour runs twice for an hourly schedule, once for a daily one.
    [InlineData("0 * * * *", "2012-11-04T01:00:00-04:00", "2012-11-04T01:00:00-05:00")]
    [InlineData("0 1 * * *", "2012-11-04T01:00:00-05:00", "2012-11-05T01:00:00-05:00")]
    [InlineData("30 2 4 Nov *", "2012-11-04T00:00:00-04:00", "2012-11-04T02:30:00-05:00")]
    public void Next_times_follow_the_zone_across_daylight_saving_changes(string spec, string from, string expected) =>
        Assert.Equal(expected, Next(spec, from, NewYork));

    [Fact]
    public void A_schedule_with_its_own_zone_ignores_the_default() =>
        Assert.Equal("2024-05-01T13:00:00-04:00", Next("TZ=America/New_York 0 13 * * *", "2024-05-01T12:00:00+00:00"));

    [Fact]
    public void A_day_that_never_comes_has_no_next_time() =>
        Assert.Null(CronParser.Parse("0 0 30 2 *", TimeZoneInfo.Utc).Next(At("2024-01-01T00:00:00+00:00")));

    [Theory]
    [InlineData("* * * *", "expected exactly 5 fields, found 4: [* * * *]")]
    [InlineData("0 0 * * * *", "expected exactly 5 fields, found 6: [0 0 * * * *]")]
    [InlineData("60 * * * *", "end of range (60) above maximum (59): 60")]
    [InlineData("* * 0 * *", "beginning of range (0) below minimum (1): 0")]
    [InlineData("5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1")]
    [InlineData("*/0 * * * *", "step of range should be a positive number: */0")]
    [InlineData("1-2-3 * * * *", "too many hyphens: 1-2-3")]
    [InlineData("*/2/3 * * * *", "too many slashes: */2/3")]
    [InlineData("x * * * *", "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax")]
    [InlineData("* * * FOO *", "failed to parse int from FOO: strconv.Atoi: parsing \"FOO\": invalid syntax")]
    [InlineData("@fortnightly", "unrecognized descriptor: @fortnightly")]
    [InlineData("@every 5", "failed to parse duration @every 5: time: missing unit in duration \"5\"")]
    [InlineData("TZ=Mars/Olympus * * * * *", "provided bad location Mars/Olympus: unknown time zone Mars/Olympus")]
    public void Errors_are_robfigs(string spec, string expected) => Assert.Equal(expected, Error(spec));
}
