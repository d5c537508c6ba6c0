using System.Security.Cryptography.X509Certificates;
using Gantry.Server.Certificates;
using Gantry.Server.Security;
using Gantry.Tests.Security;
using Xunit;
using static Gantry.Tests.Certificates.SigningRequestTestData;

namespace Gantry.Tests.Certificates;

/// <summary>The kube-apiserver-client signer: what it refuses, and the certificates it issues.</summary>
public sealed class ClusterSignerTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static readonly string[] ClientAuth = ["client auth"];

    private readonly X509Certificate2 _ca = TestCertificates.Authority();

    private ClusterSigner Signer() => new(_ca, ClusterSigner.DefaultSigningDuration);

    [Fact]
    public void The_certificate_names_the_requested_subject_for_client_authentication_and_is_trusted_by_the_authenticator()
    {
        using var issued = Issue(RequestPem("CN=jane, O=devs, O=ops", dnsName: "jane.example.com"), ClientAuth);

        Assert.Equal("CN=jane, O=devs, O=ops", issued.Subject);
        Assert.Equal(["1.3.6.1.5.5.7.3.2"], issued.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value));
        Assert.False(issued.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal(["jane.example.com"], issued.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
        var user = new ClientCertificateAuthenticator([_ca], TimeProvider.System).Authenticate(issued, out var refused);
        Assert.False(refused);
        Assert.Equal("jane", user!.Name);
        Assert.Equal(["devs", "ops", RequestUser.Authenticated], user.Groups);
    }

    [Fact]
    public void A_short_certificate_is_backdated_five_minutes_and_lasts_the_requested_duration_from_now()
    {
        using var issued = Issue(RequestPem(), ClientAuth, expirationSeconds: 3600);

        AssertAbout(Now.AddMinutes(-5), issued.NotBefore);
        AssertAbout(Now.AddMinutes(60), issued.NotAfter);
    }

    [Fact]
    public void A_long_certificate_lasts_the_requested_duration_from_its_backdated_start()
    {
        using var issued = Issue(RequestPem(), ClientAuth, expirationSeconds: 86400);

        AssertAbout(Now.AddDays(1).AddMinutes(-5), issued.NotAfter);
    }

    [Fact]
    public void A_duration_beyond_the_signing_duration_is_cut_to_it()
    {
        using var issued = new ClusterSigner(_ca, TimeSpan.FromHours(2)).Sign(Parse(RequestPem()), ClientAuth, 86400, Now) is var pem
            ? X509Certificate2.CreateFromPem(pem)
            : null!;

        AssertAbout(Now.AddHours(2), issued.NotAfter);
    }

    [Theory]
    [InlineData("server auth", "invalid usage for client certificate: server auth")]
    [InlineData("digital signature", "missing required usage for client certificate: client auth")]
    public void A_request_for_other_usages_is_refused(string usage, string refusal) =>
        Assert.Equal(refusal, ClusterSigner.Refusal(Parse(RequestPem()), [usage]));

    [Fact]
    public void The_api_servers_identity_towards_the_agents_is_never_issued() =>
        Assert.Equal(
            "gantry-apiserver-agent-client is reserved for the API server",
            ClusterSigner.Refusal(Parse(RequestPem("CN=gantry-apiserver-agent-client")), ClientAuth));

    [Theory]
    [InlineData("CN=gantry-apiserver-agent-client, CN=alice", null)]
    [InlineData("L=gantry-apiserver-agent-client", null)]
    [InlineData("CN=alice", "gantry-apiserver-agent-client")]
    public void The_api_servers_identity_is_not_issued_hidden_in_another_attribute_or_name(string subject, string? dnsName) =>
        Assert.NotNull(ClusterSigner.Refusal(Parse(RequestPem(subject, dnsName)), ClientAuth));

    [Fact]
    public void Only_the_client_signer_is_served()
    {
        Assert.True(ClusterSigner.SignsFor("kubernetes.io/kube-apiserver-client"));
        Assert.False(ClusterSigner.SignsFor("kubernetes.io/kubelet-serving"));
        Assert.False(ClusterSigner.SignsFor("example.com/signer"));
    }

    /// <summary>Certificates keep whole seconds.</summary>
    private static void AssertAbout(DateTimeOffset expected, DateTime actual) =>
        Assert.InRange(new DateTimeOffset(actual.ToUniversalTime()), expected.AddSeconds(-1), expected.AddSeconds(1));

    private X509Certificate2 Issue(string requestPem, string[] usages, int? expirationSeconds = null) =>
        X509Certificate2.CreateFromPem(Signer().Sign(Parse(requestPem), usages, expirationSeconds, Now));

    private static CertificateRequest Parse(string pem) => SigningRequests.Parse(System.Text.Encoding.ASCII.GetBytes(pem));
}
