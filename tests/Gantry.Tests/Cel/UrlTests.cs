using Gantry.Core.Cel;
using Xunit;
using static Gantry.Tests.Cel.CelTestHelper;

namespace Gantry.Tests.Cel;

public sealed class UrlTests
{
    private const string U = "url('https://user@example.com:8443/a%20b/c?x=1&y=2&x=3')";

    [Theory]
    [InlineData(U + ".getScheme()", "https")]
    [InlineData(U + ".getHost()", "example.com:8443")]
    [InlineData(U + ".getHostname()", "example.com")]
    [InlineData(U + ".getPort()", "8443")]
    [InlineData(U + ".getEscapedPath()", "/a%20b/c")]
    [InlineData("url('https://[::1]:80/').getHostname()", "::1")]
    [InlineData("url('https://example.com').getPort()", "")]
    [InlineData("url('/path/only').getEscapedPath()", "/path/only")]
    public void Url_accessors(string expression, string expected) => Assert.Equal(expected, Eval(expression));

    [Fact]
    public void Get_query_gives_lists_of_values()
    {
        Assert.Equal(List("1", "3"), Eval(U + ".getQuery()['x']"));
        Assert.Equal(List("2"), Eval(U + ".getQuery().y"));
    }

    [Theory]
    [InlineData("isURL('https://example.com/x')", true)]
    [InlineData("isURL('/relative/path')", true)]
    [InlineData("isURL('relative/path')", false)]
    [InlineData("isURL('')", false)]
    [InlineData("isURL('https://example.com:port/')", false)]
    [InlineData("isURL('https://example.com/%zz')", false)]
    public void Is_url_follows_parse_request_uri(string expression, bool expected) => Assert.Equal(expected, Eval(expression));

    [Fact]
    public void Url_of_an_invalid_string_is_an_error() => Assert.Contains("URL parse error", Error("url('not a url')"));

    [Fact]
    public void Url_type_is_kubernetes_url() => Assert.Equal("kubernetes.URL", Eval("string(type(url('/x')))"));
}
