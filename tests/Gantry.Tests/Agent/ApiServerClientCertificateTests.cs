using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gantry.Agent.Serving;
using Gantry.Core.Security;
using Gantry.Server.Security;
using Xunit;

namespace Gantry.Tests.Agent;

/// <summary>The agent lets in the API server's client certificate and nothing that merely looks like it.</summary>
public sealed class ApiServerClientCertificateTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gantry-pki-").FullName;
    private readonly ClusterCredentials _credentials;

    public ApiServerClientCertificateTests() => _credentials = ClusterCredentials.LoadOrCreate(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void The_servers_agent_client_certificate_is_trusted() =>
        Assert.True(new ApiServerClientCertificate(_credentials.CaPem).IsTrusted(_credentials.AgentClientCertificate));

    [Fact]
    public void A_self_signed_certificate_with_the_same_name_is_not()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var impostor = new CertificateRequest($"CN={AgentClientIdentity.CommonName}", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

        Assert.False(new ApiServerClientCertificate(_credentials.CaPem).IsTrusted(impostor));
    }

    [Fact]
    public void The_servers_own_serving_certificate_is_not_a_client_certificate() =>
        Assert.False(new ApiServerClientCertificate(_credentials.CaPem).IsTrusted(_credentials.ServerCertificate));

    [Fact]
    public void Another_clusters_client_certificate_is_not()
    {
        var other = Directory.CreateTempSubdirectory("gantry-pki-").FullName;
        try
        {
            Assert.False(new ApiServerClientCertificate(_credentials.CaPem).IsTrusted(ClusterCredentials.LoadOrCreate(other).AgentClientCertificate));
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }
    }

    [Theory]
    [InlineData("CN=gantry-apiserver-agent-client, CN=alice")]
    [InlineData("L=gantry-apiserver-agent-client")]
    public void A_certificate_of_the_ca_that_names_the_identity_other_than_as_its_one_common_name_is_not(string subject) =>
        Assert.False(new ApiServerClientCertificate(_credentials.CaPem).IsTrusted(
            Gantry.Tests.Security.TestCertificates.Client(_credentials.CertificateAuthority, subject)));

    [Fact]
    public void No_certificate_is_not() => Assert.False(new ApiServerClientCertificate(_credentials.CaPem).IsTrusted(null));
}
