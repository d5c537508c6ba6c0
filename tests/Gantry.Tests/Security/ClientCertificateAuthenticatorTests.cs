using System.Security.Cryptography.X509Certificates;
using Gantry.Server.Security;
using Xunit;

namespace Gantry.Tests.Security;

public sealed class ClientCertificateAuthenticatorTests
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    private readonly X509Certificate2 _ca = TestCertificates.Authority();

    private ClientCertificateAuthenticator Authenticator() => new([_ca], TimeProvider.System);

    [Fact]
    public void A_certificate_the_cluster_ca_issued_names_its_common_name_as_the_user_and_its_organizations_as_groups()
    {
        var user = Authenticator().Authenticate(TestCertificates.Client(_ca, "CN=jane, O=dev, O=ops"), out var refused);

        Assert.False(refused);
        Assert.Equal("jane", user!.Name);
        Assert.Equal(["dev", "ops", RequestUser.Authenticated], user.Groups);
    }

    [Fact]
    public void A_certificate_from_another_authority_is_refused()
    {
        var stranger = TestCertificates.Authority("stranger");

        var user = Authenticator().Authenticate(TestCertificates.Client(stranger, "CN=jane"), out var refused);

        Assert.True(refused);
        Assert.Null(user);
    }

    [Fact]
    public void An_expired_certificate_is_refused()
    {
        var expired = TestCertificates.Client(_ca, "CN=jane", notAfter: DateTimeOffset.UtcNow.AddMinutes(-1));

        Assert.Null(Authenticator().Authenticate(expired, out var refused));
        Assert.True(refused);
    }

    [Fact]
    public void A_certificate_for_servers_only_is_refused_as_a_client_credential()
    {
        var serving = TestCertificates.Client(_ca, "CN=jane", usage: ServerAuthentication);

        Assert.Null(Authenticator().Authenticate(serving, out var refused));
        Assert.True(refused);
    }

    [Fact]
    public void A_certificate_without_a_common_name_names_nobody_and_is_not_refused()
    {
        var user = Authenticator().Authenticate(TestCertificates.Client(_ca, "O=dev"), out var refused);

        Assert.Null(user);
        Assert.False(refused);
    }
}
