using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gantry.Server.Security;
using k8s;
using Xunit;

namespace Gantry.Tests.Security;

public sealed class KubeconfigTests
{
    [Fact]
    public void A_users_kubeconfig_carries_its_certificate_and_key_under_its_name_whatever_the_name_holds()
    {
        var ca = TestCertificates.Authority();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var certificate = new CertificateRequest("CN=jane: the admin", key, HashAlgorithmName.SHA256)
            .Create(ca, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1), [1]);
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, Kubeconfig.RenderForCertificate(
                "https://10.0.0.1:6443", ca.ExportCertificatePem(), "jane: the admin", certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem()));

            var config = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(path));

            var user = Assert.Single(config.Users);
            Assert.Equal("jane: the admin", user.Name);
            Assert.Equal("jane: the admin", config.Contexts.Single(c => c.Name == config.CurrentContext).ContextDetails.User);
            Assert.Equal(certificate.ExportCertificatePem(), System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(user.UserCredentials.ClientCertificateData)));
            Assert.Equal("https://10.0.0.1:6443", config.Clusters.Single().ClusterEndpoint.Server);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
