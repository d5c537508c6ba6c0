using System.Net;
using System.Security.Cryptography.X509Certificates;
using Gantry.Server.Security;
using Xunit;

namespace Gantry.Tests.Security;

public sealed class ClusterCredentialsTests : IDisposable
{
    private static readonly IPAddress ServiceIp = IPAddress.Parse("10.96.0.1");

    private readonly string _directory = Directory.CreateTempSubdirectory("gantry-pki-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void The_server_certificate_names_the_kubernetes_service_ip_that_in_cluster_clients_dial()
    {
        var credentials = ClusterCredentials.LoadOrCreate(_directory, [ServiceIp]);

        Assert.Contains(ServiceIp, Addresses(credentials.ServerCertificate));
    }

    [Fact]
    public void A_server_certificate_that_does_not_name_the_service_ip_is_issued_again_and_the_rest_is_kept()
    {
        var before = ClusterCredentials.LoadOrCreate(_directory);
        Assert.DoesNotContain(ServiceIp, Addresses(before.ServerCertificate));

        var after = ClusterCredentials.LoadOrCreate(_directory, [ServiceIp]);

        Assert.Contains(ServiceIp, Addresses(after.ServerCertificate));
        Assert.Equal(before.CaPem, after.CaPem);
        Assert.Equal(before.AdminToken, after.AdminToken);
        Assert.Equal(after.ServerCertificate.Thumbprint, ClusterCredentials.LoadOrCreate(_directory, [ServiceIp]).ServerCertificate.Thumbprint);
    }

    private static List<IPAddress> Addresses(X509Certificate2 certificate) =>
        [.. certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateIPAddresses())];
}
