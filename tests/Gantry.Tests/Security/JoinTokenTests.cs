using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Gantry.Agent.Join;
using Gantry.Core.Security;
using Xunit;

namespace Gantry.Tests.Security;

public sealed class JoinTokenTests
{
    private static readonly BootstrapToken Token = BootstrapToken.Parse("abcdef.0123456789abcdef");

    [Fact]
    public void Secure_token_is_K10_the_hex_sha256_of_the_CA_file_and_the_bootstrap_token()
    {
        var ca = Encoding.UTF8.GetBytes(SelfSignedPem("CN=test-ca"));

        var text = JoinToken.Format(ca, Token);

        Assert.Equal("K10" + Convert.ToHexStringLower(SHA256.HashData(ca)) + "::abcdef.0123456789abcdef", text);
    }

    [Fact]
    public void Secure_token_parses_back_into_hash_and_bootstrap_token()
    {
        var hash = new string('a', 64);

        var token = JoinToken.Parse($"K10{hash}::abcdef.0123456789abcdef");

        Assert.Equal(hash, token.CaHash);
        Assert.Equal(Token, token.Token);
    }

    [Fact]
    public void A_bare_bootstrap_token_parses_without_a_CA_hash()
    {
        var token = JoinToken.Parse("abcdef.0123456789abcdef");

        Assert.Null(token.CaHash);
        Assert.Equal(Token, token.Token);
    }

    [Fact]
    public void A_CA_hash_of_the_wrong_length_is_refused()
    {
        var error = Assert.Throws<FormatException>(() => JoinToken.Parse("K10abc::abcdef.0123456789abcdef"));
        Assert.Equal("invalid token CA hash length", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("K10" + "0000000000000000000000000000000000000000000000000000000000000000" + "::admin:password")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Credentials_that_are_not_a_bootstrap_token_are_refused(string text)
    {
        Assert.Throws<FormatException>(() => JoinToken.Parse(text));
    }

    [Fact]
    public void The_hash_of_a_single_certificate_is_of_the_file_bytes_so_whitespace_changes_it()
    {
        var pem = SelfSignedPem("CN=test-ca");

        var asStored = ClusterCaHash.Compute(Encoding.UTF8.GetBytes(pem));
        var reformatted = ClusterCaHash.Compute(Encoding.UTF8.GetBytes(pem + "\n"));

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(pem))), asStored);
        Assert.NotEqual(asStored, reformatted);
    }

    [Fact]
    public void The_hash_of_a_bundle_is_of_the_root_certificate_DER()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var root = rootRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(1));
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=intermediate", leafKey, HashAlgorithmName.SHA256);
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var leaf = leafRequest.Create(root, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMonths(1), [1, 2, 3]);

        var bundle = Encoding.UTF8.GetBytes(leaf.ExportCertificatePem() + "\n" + root.ExportCertificatePem() + "\n");

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(root.RawData)), ClusterCaHash.Compute(bundle));
    }

    [Fact]
    public void A_bundle_without_a_certificate_has_no_hash()
    {
        Assert.Throws<FormatException>(() => ClusterCaHash.Compute("not a certificate"u8.ToArray()));
    }

    private static string SelfSignedPem(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(1));
        return certificate.ExportCertificatePem();
    }
}
