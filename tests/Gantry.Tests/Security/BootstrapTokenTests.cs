using Gantry.Core.Security;
using Xunit;

namespace Gantry.Tests.Security;

public sealed class BootstrapTokenTests
{
    [Fact]
    public void Token_parses_into_id_and_secret_and_formats_back()
    {
        var token = BootstrapToken.Parse("abcdef.0123456789abcdef");

        Assert.Equal("abcdef", token.Id);
        Assert.Equal("0123456789abcdef", token.Secret);
        Assert.Equal("abcdef.0123456789abcdef", token.ToString());
        Assert.Equal("bootstrap-token-abcdef", token.SecretName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abcdef0123456789abcdef")]
    [InlineData("ABCDEF.0123456789abcdef")]
    [InlineData("abcde.0123456789abcdef")]
    [InlineData("abcdef.0123456789abcde")]
    [InlineData("abcdef.0123456789abcdef0")]
    [InlineData(" abcdef.0123456789abcdef")]
    [InlineData("abc_ef.0123456789abcdef")]
    public void Malformed_tokens_are_refused(string text)
    {
        Assert.False(BootstrapToken.TryParse(text, out _));
        Assert.Throws<FormatException>(() => BootstrapToken.Parse(text));
    }

    [Fact]
    public void Generated_tokens_have_the_bootstrap_form_and_differ()
    {
        var tokens = Enumerable.Range(0, 50).Select(_ => BootstrapToken.Generate().ToString()).ToList();

        Assert.All(tokens, t => Assert.True(BootstrapToken.TryParse(t, out _), t));
        Assert.Equal(tokens.Count, tokens.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void A_token_without_expiration_never_expires()
    {
        Assert.False(BootstrapTokenSecret.HasExpired(null, DateTimeOffset.MaxValue));
        Assert.False(BootstrapTokenSecret.HasExpired("", DateTimeOffset.MaxValue));
    }

    [Fact]
    public void A_token_expires_at_its_expiration_time()
    {
        var expires = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var text = BootstrapTokenSecret.FormatExpiration(expires);

        Assert.Equal("2030-01-02T03:04:05Z", text);
        Assert.False(BootstrapTokenSecret.HasExpired(text, expires.AddSeconds(-1)));
        Assert.True(BootstrapTokenSecret.HasExpired(text, expires));
    }

    [Fact]
    public void An_expiration_with_an_offset_is_read_as_RFC_3339()
    {
        Assert.False(BootstrapTokenSecret.HasExpired("2030-01-02T05:04:05+02:00", new DateTimeOffset(2030, 1, 2, 3, 4, 4, TimeSpan.Zero)));
        Assert.True(BootstrapTokenSecret.HasExpired("2030-01-02T05:04:05+02:00", new DateTimeOffset(2030, 1, 2, 3, 4, 6, TimeSpan.Zero)));
    }

    [Fact]
    public void An_unparseable_expiration_counts_as_expired()
    {
        Assert.True(BootstrapTokenSecret.HasExpired("tomorrow", DateTimeOffset.MinValue));
    }
}
