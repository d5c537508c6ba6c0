using Gantry.Server.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Xunit;

namespace Gantry.Tests.Api;

public sealed class PodLogOptionsTests
{
    [Fact]
    public void A_negative_tailLines_is_invalid()
    {
        var error = Assert.Single(Options("?tailLines=-1").Validate());

        Assert.Equal(("tailLines", "FieldValueInvalid", "Invalid value: -1: must be greater than or equal to 0"), (error.Field, error.Reason, error.Message));
    }

    [Fact]
    public void Zero_tailLines_is_valid()
    {
        Assert.Empty(Options("?tailLines=0").Validate());
    }

    [Fact]
    public void A_limitBytes_below_one_is_invalid()
    {
        var error = Assert.Single(Options("?limitBytes=0").Validate());

        Assert.Equal(("limitBytes", "Invalid value: 0: must be greater than 0"), (error.Field, error.Message));
    }

    [Fact]
    public void A_sinceSeconds_below_one_is_invalid()
    {
        var error = Assert.Single(Options("?sinceSeconds=0").Validate());

        Assert.Equal(("sinceSeconds", "Invalid value: 0: must be greater than 0"), (error.Field, error.Message));
    }

    [Fact]
    public void SinceSeconds_and_sinceTime_together_are_forbidden_on_the_unnamed_field()
    {
        var error = Assert.Single(Options("?sinceSeconds=5&sinceTime=2024-05-01T12:00:00Z").Validate());

        Assert.Equal(("[]", "FieldValueForbidden", "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified"), (error.Field, error.Reason, error.Message));
    }

    [Fact]
    public void With_both_since_options_only_the_conflict_is_reported_not_the_value_of_sinceSeconds()
    {
        var error = Assert.Single(Options("?sinceSeconds=0&sinceTime=2024-05-01T12:00:00Z").Validate());

        Assert.Equal("[]", error.Field);
    }

    [Fact]
    public void An_empty_sinceTime_is_the_zero_time_and_still_conflicts_with_sinceSeconds()
    {
        var options = Options("?sinceTime=&sinceSeconds=5");

        Assert.Equal(DateTimeOffset.MinValue, options.SinceTime);
        Assert.Equal("[]", Assert.Single(options.Validate()).Field);
    }

    [Fact]
    public void A_stream_is_forbidden_while_the_split_streams_gate_is_off_as_by_default_in_1_32()
    {
        var error = Assert.Single(Options("?stream=Stdout").Validate());

        Assert.Equal(("stream", "FieldValueForbidden", "Forbidden: may not be specified"), (error.Field, error.Reason, error.Message));
    }

    [Fact]
    public void Every_broken_rule_is_reported_in_kubes_order()
    {
        var errors = Options("?stream=All&sinceSeconds=0&limitBytes=0&tailLines=-1").Validate();

        Assert.Equal(["tailLines", "limitBytes", "sinceSeconds", "stream"], errors.Select(e => e.Field));
    }

    [Fact]
    public void Invalid_options_are_a_422_for_kind_PodLogOptions_named_after_the_pod()
    {
        var error = Assert.Throws<ApiException>(() => PodLogOptions.FromQuery(Query("?tailLines=-1&limitBytes=0"), "web"));

        Assert.Equal((422, "Invalid"), (error.Code, error.Reason));
        Assert.Equal(
            "PodLogOptions \"web\" is invalid: [tailLines: Invalid value: -1: must be greater than or equal to 0, limitBytes: Invalid value: 0: must be greater than 0]",
            error.Message);
        Assert.Equal(("web", "PodLogOptions"), (error.Details!["name"]!.GetValue<string>(), error.Details["kind"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("?tailLines=abc", "strconv.ParseInt: parsing \"abc\": invalid syntax")]
    [InlineData("?limitBytes=", "strconv.ParseInt: parsing \"\": invalid syntax")]
    [InlineData("?sinceSeconds=99999999999999999999", "strconv.ParseInt: parsing \"99999999999999999999\": value out of range")]
    [InlineData("?sinceTime=yesterday", "parsing time \"yesterday\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"yesterday\" as \"2006\"")]
    public void A_value_that_does_not_parse_is_a_400_in_gos_words(string query, string message)
    {
        var error = Assert.Throws<ApiException>(() => PodLogOptions.FromQuery(Query(query), "web"));

        Assert.Equal((400, "BadRequest", message), (error.Code, error.Reason, error.Message));
    }

    [Fact]
    public void Of_two_values_that_do_not_parse_the_one_earlier_in_the_go_struct_is_reported()
    {
        var error = Assert.Throws<ApiException>(() => PodLogOptions.Decode(Query("?tailLines=abc&sinceSeconds=xyz")));

        Assert.Contains("\"xyz\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_that_does_not_parse_is_refused_before_any_rule_is_checked()
    {
        var error = Assert.Throws<ApiException>(() => PodLogOptions.FromQuery(Query("?tailLines=-1&limitBytes=x"), "web"));

        Assert.Equal(400, error.Code);
    }

    [Theory]
    [InlineData("?follow=true", true)]
    [InlineData("?follow=maybe", true)]
    [InlineData("?follow=", true)]
    [InlineData("?follow=1", true)]
    [InlineData("?follow=0", false)]
    [InlineData("?follow=FALSE", false)]
    [InlineData("", false)]
    public void A_flag_is_on_unless_absent_0_or_false_in_any_case(string query, bool follow)
    {
        Assert.Equal(follow, Options(query).Follow);
    }

    [Fact]
    public void Parameter_names_are_case_sensitive_as_in_go()
    {
        var options = Options("?TailLines=-1");

        Assert.Null(options.TailLines);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Only_the_first_value_of_a_parameter_counts()
    {
        Assert.Equal(5, Options("?tailLines=5&tailLines=abc").TailLines);
    }

    [Fact]
    public void The_agent_gets_the_options_as_the_apiserver_sends_them_to_the_kubelet_with_sinceTime_in_rfc3339_to_the_second()
    {
        var query = Options("?sinceTime=2024-05-01T12:00:00.75%2B02:00&follow=1&previous=false&timestamps=yes&tailLines=%2B10&limitBytes=100&container=main")
            .AgentQuery();

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["follow"] = "true",
                ["timestamps"] = "true",
                ["sinceTime"] = "2024-05-01T10:00:00Z",
                ["tailLines"] = "10",
                ["limitBytes"] = "100",
            },
            QueryHelpers.ParseQuery(query.Value).ToDictionary(p => p.Key, p => p.Value.ToString()));
    }

    [Fact]
    public void SinceSeconds_is_passed_on_to_the_agent()
    {
        Assert.Equal("?sinceSeconds=30", Options("?sinceSeconds=30").AgentQuery().Value);
    }

    [Fact]
    public void Without_options_the_agent_gets_no_query()
    {
        Assert.False(Options("").AgentQuery().HasValue);
    }

    private static PodLogOptions Options(string query) => PodLogOptions.Decode(Query(query));

    private static IQueryCollection Query(string query) => new DefaultHttpContext { Request = { QueryString = new QueryString(query) } }.Request.Query;
}
