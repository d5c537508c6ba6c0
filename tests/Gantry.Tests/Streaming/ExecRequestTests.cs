using Gantry.Agent.Streaming;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Gantry.Tests.Streaming;

public sealed class ExecRequestTests
{
    [Fact]
    public void The_query_kubectl_sends_names_the_command_container_and_streams()
    {
        Assert.True(ExecRequest.TryParse(
            Query("?command=sh&command=-c&command=echo%20hi&container=main&stdin=true&stdout=true&stderr=true"), out var request, out _));

        Assert.Equal(["sh", "-c", "echo hi"], request.Command);
        Assert.Equal(("main", true, true, true, false), (request.Container, request.Stdin, request.Stdout, request.Stderr, request.Tty));
    }

    [Fact]
    public void The_kubelets_numeric_flags_are_understood_too()
    {
        Assert.True(ExecRequest.TryParse(Query("?command=ls&output=1&stdout=1&stdin=0"), out var request, out _));

        Assert.Equal((false, true), (request.Stdin, request.Stdout));
        Assert.Null(request.Container);
    }

    [Fact]
    public void A_terminal_merges_stderr_into_stdout()
    {
        Assert.True(ExecRequest.TryParse(Query("?command=sh&stdout=true&stderr=true&tty=true"), out var request, out _));

        Assert.Equal((true, false, true), (request.Stdout, request.Stderr, request.Tty));
    }

    [Theory]
    [InlineData("?stdout=true", "you must specify at least one command for the container")]
    [InlineData("?command=ls", "you must specify at least 1 of stdin, stdout, stderr")]
    public void Requests_that_cannot_run_are_refused_with_the_kubelets_words(string query, string problem)
    {
        Assert.False(ExecRequest.TryParse(Query(query), out _, out var actual));
        Assert.Equal(problem, actual);
    }

    [Fact]
    public void An_attach_names_no_command_and_ignores_one_if_sent()
    {
        Assert.True(ExecRequest.TryParse(Query("?command=ls&container=main&stdin=true&stdout=true"), attach: true, out var request, out _));

        Assert.Empty(request.Command);
        Assert.Equal(("main", true, true), (request.Container, request.Stdin, request.Stdout));
    }

    [Fact]
    public void An_attach_without_streams_is_refused_with_the_kubelets_words()
    {
        Assert.False(ExecRequest.TryParse(Query("?container=main"), attach: true, out _, out var problem));

        Assert.Equal("you must specify at least 1 of stdin, stdout, stderr", problem);
    }

    private static IQueryCollection Query(string query) => new DefaultHttpContext { Request = { QueryString = new QueryString(query) } }.Request.Query;
}
