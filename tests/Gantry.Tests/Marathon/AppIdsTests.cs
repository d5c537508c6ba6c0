using Gantry.Server.Marathon;
using Xunit;

namespace Gantry.Tests.Marathon;

public sealed class AppIdsTests
{
    // Marathon's own message, word for word, so that clients matching on it see what Marathon says.
    private const string RegexMessage =
        @"must fully match regular expression '^(([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])|(\.|\.\.)$'";

    [Fact]
    public void A_relative_id_is_taken_from_the_root_group()
    {
        Assert.Equal("/hello", AppIds.Absolute("hello"));
    }

    [Fact]
    public void A_trailing_slash_is_dropped()
    {
        Assert.Equal("/a/b", AppIds.Absolute("/a/b/"));
    }

    [Theory]
    [InlineData("/Hello")]
    [InlineData("/my_app")]
    [InlineData("/a/../b")]
    [InlineData("/-a")]
    public void A_segment_outside_Marathons_pattern_is_refused_with_Marathons_message(string id)
    {
        Assert.Equal(RegexMessage, AppIds.Invalid(id));
    }

    [Fact]
    public void An_empty_id_is_refused()
    {
        Assert.Equal("path must not be empty", AppIds.Invalid(AppIds.Absolute("")));
    }

    [Fact]
    public void Empty_segments_are_dropped_as_Marathon_drops_them()
    {
        Assert.Equal("/a/b", AppIds.Absolute("/a//b"));
    }

    [Fact]
    public void Segments_of_lower_case_letters_digits_dashes_and_dots_are_valid()
    {
        Assert.Null(AppIds.Invalid("/a.b/c-d"));
    }

    [Fact]
    public void The_deployment_name_joins_the_segments_with_dots()
    {
        Assert.Equal("a.b", AppIds.Name("/a/b"));
    }

    [Fact]
    public void A_name_of_63_characters_fits_a_label_value()
    {
        Assert.Null(AppIds.Invalid("/" + new string('a', 30) + "/" + new string('b', 32)));
    }

    [Fact]
    public void An_id_whose_name_exceeds_63_characters_is_refused()
    {
        var id = "/" + new string('a', 31) + "/" + new string('b', 32);

        Assert.StartsWith("is longer than Gantry allows", AppIds.Invalid(id), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/restart")]
    [InlineData("/shop/tasks")]
    [InlineData("/shop/versions")]
    public void An_id_ending_in_an_apps_own_path_is_refused_with_Marathons_message(string id)
    {
        Assert.Equal("must not end with any of the following reserved keywords: restart, tasks, versions", AppIds.Invalid(id));
    }

    [Theory]
    [InlineData("/tasks/web")]
    [InlineData("/versions.old")]
    public void A_reserved_word_elsewhere_in_an_id_is_valid(string id)
    {
        Assert.Null(AppIds.Invalid(id));
    }

    [Theory]
    [InlineData("/a/.")]
    [InlineData("/a/..")]
    public void A_dot_segment_is_refused(string id)
    {
        Assert.Equal(RegexMessage, AppIds.Invalid(id));
    }
}
