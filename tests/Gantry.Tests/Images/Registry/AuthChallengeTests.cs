using Gantry.Agent.Images.Registry;
using Xunit;

namespace Gantry.Tests.Images.Registry;

public sealed class AuthChallengeTests
{
    [Fact]
    public void Docker_hubs_bearer_challenge_yields_realm_service_and_scope()
    {
        var challenge = Assert.Single(AuthChallenge.ParseAll(
            "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\""));

        Assert.True(challenge.IsBearer);
        Assert.Equal("https://auth.docker.io/token", challenge.Parameter("realm"));
        Assert.Equal("registry.docker.io", challenge.Parameter("service"));
        Assert.Equal("repository:library/busybox:pull", challenge.Parameter("scope"));
    }

    [Fact]
    public void Several_challenges_in_one_header_are_told_apart()
    {
        var challenges = AuthChallenge.ParseAll("Basic realm=\"Registry Realm\", Bearer realm=\"https://auth.example/token\", service=registry");

        Assert.Equal(["Basic", "Bearer"], challenges.Select(c => c.Scheme));
        Assert.Equal("Registry Realm", challenges[0].Parameter("realm"));
        Assert.Equal("registry", challenges[1].Parameter("service"));
    }

    [Fact]
    public void Quoted_values_keep_commas_and_unescape_quotes()
    {
        var challenge = Assert.Single(AuthChallenge.ParseAll("bearer REALM=\"https://a/t\", scope=\"repository:a:pull,push\", error=\"say \\\"hi\\\"\""));

        Assert.True(challenge.IsBearer);
        Assert.Equal("https://a/t", challenge.Parameter("realm"));
        Assert.Equal("repository:a:pull,push", challenge.Parameter("scope"));
        Assert.Equal("say \"hi\"", challenge.Parameter("error"));
    }

    [Fact]
    public void An_unterminated_quote_is_malformed() =>
        Assert.Throws<FormatException>(() => AuthChallenge.ParseAll("Bearer realm=\"https://a/t"));
}
