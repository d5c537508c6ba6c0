using System.Buffers.Text;
using System.Text;
using Gantry.Server.Security.ServiceAccounts;
using Gantry.Tests.Registry;
using Xunit;

namespace Gantry.Tests.Security.ServiceAccounts;

public sealed class ServiceAccountTokensTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Now);
    private readonly ServiceAccountTokens _tokens;

    public ServiceAccountTokensTests() => _tokens = new ServiceAccountTokens(ServiceAccountKey.Generate(), _time);

    [Fact]
    public void A_token_it_issued_validates_with_the_claims_it_carries()
    {
        var bound = Claims() with { Pod = new BoundObject("web", "pod-uid"), Node = new BoundObject("node-1", "node-uid") };

        var validated = _tokens.Validate(_tokens.Issue(bound));

        Assert.NotNull(validated);
        Assert.Equal(("team", "builder", "sa-uid", "jti-1"), (validated.Namespace, validated.ServiceAccountName, validated.ServiceAccountUid, validated.Id));
        Assert.Equal(new BoundObject("web", "pod-uid"), validated.Pod);
        Assert.Equal(new BoundObject("node-1", "node-uid"), validated.Node);
        Assert.Equal("system:serviceaccount:team:builder", validated.Subject);
    }

    [Fact]
    public void A_token_says_kubes_issuer_audience_and_subject_and_is_signed_ES256()
    {
        var parts = _tokens.Issue(Claims()).Split('.');

        var header = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[0]));
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1]));
        Assert.StartsWith("{\"alg\":\"ES256\",\"kid\":\"", header, StringComparison.Ordinal);
        Assert.Contains("\"aud\":[\"https://kubernetes.default.svc.cluster.local\"]", payload, StringComparison.Ordinal);
        Assert.Contains("\"iss\":\"https://kubernetes.default.svc.cluster.local\"", payload, StringComparison.Ordinal);
        Assert.Contains("\"sub\":\"system:serviceaccount:team:builder\"", payload, StringComparison.Ordinal);
    }

    [Fact]
    public void A_token_signed_with_another_key_is_refused()
    {
        var other = new ServiceAccountTokens(ServiceAccountKey.Generate(), _time);

        Assert.Null(_tokens.Validate(other.Issue(Claims())));
    }

    [Fact]
    public void A_token_whose_payload_was_changed_is_refused()
    {
        var parts = _tokens.Issue(Claims()).Split('.');
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace("builder", "admin", StringComparison.Ordinal);

        Assert.Null(_tokens.Validate($"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload))}.{parts[2]}"));
    }

    [Fact]
    public void A_token_is_accepted_a_minute_past_its_expiry_and_refused_after()
    {
        var token = _tokens.Issue(Claims());

        _time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(59));
        Assert.NotNull(_tokens.Validate(token));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(_tokens.Validate(token));
    }

    [Fact]
    public void A_token_for_another_audience_is_refused()
    {
        Assert.Null(_tokens.Validate(_tokens.Issue(Claims() with { Audiences = ["vault"] })));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    [InlineData("abcdef.0123456789abcdef")]
    public void Anything_that_is_not_a_signed_token_is_refused(string token)
    {
        Assert.Null(_tokens.Validate(token));
    }

    [Fact]
    public void A_secrets_token_verifies_with_the_claims_it_carries_and_says_kubes_legacy_issuer()
    {
        var claims = new LegacyTokenClaims("team", "builder-token", "builder", "sa-uid");

        var token = _tokens.IssueLegacy(claims);

        Assert.Equal(claims, _tokens.VerifyLegacy(token));
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.Split('.')[1]));
        Assert.Contains("\"iss\":\"kubernetes/serviceaccount\"", payload, StringComparison.Ordinal);
        Assert.Contains("\"sub\":\"system:serviceaccount:team:builder\"", payload, StringComparison.Ordinal);
        Assert.DoesNotContain("\"exp\"", payload, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secrets_token_is_no_bound_token_and_a_bound_token_no_secrets_token()
    {
        var legacy = _tokens.IssueLegacy(new LegacyTokenClaims("team", "builder-token", "builder", "sa-uid"));
        var bound = _tokens.Issue(Claims());

        Assert.Null(_tokens.Verify(legacy));
        Assert.Null(_tokens.VerifyLegacy(bound));
    }

    [Fact]
    public void A_secrets_token_signed_by_another_key_is_refused()
    {
        var other = new ServiceAccountTokens(ServiceAccountKey.Generate(), _time);

        Assert.Null(_tokens.VerifyLegacy(other.IssueLegacy(new LegacyTokenClaims("team", "builder-token", "builder", "sa-uid"))));
    }

    private static ServiceAccountTokenClaims Claims() =>
        new("team", "builder", "sa-uid", ServiceAccountTokens.ApiAudiences, Now, Now.AddHours(1), "jti-1");
}
