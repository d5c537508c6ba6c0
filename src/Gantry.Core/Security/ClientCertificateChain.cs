using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gantry.Core.Security;

/// <summary>
/// Whether a TLS client certificate was issued by the cluster CA for client authentication and is valid now: what a
/// kubelet asks of the API server's certificate and kube-apiserver's x509 authenticator asks of a user's.
/// </summary>
public static class ClientCertificateChain
{
    public const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    /// <param name="certificate">The certificate the client presented.</param>
    /// <param name="roots">The cluster CA.</param>
    /// <param name="now">The time the certificate must be valid at.</param>
    public static bool IsTrusted(X509Certificate2 certificate, X509Certificate2Collection roots, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(roots);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // A stranger's certificate must not make the server fetch its issuer from a URL of the stranger's choosing.
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ClientAuthentication));
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        return chain.Build(certificate);
    }
}
