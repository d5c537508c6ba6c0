using System.Security.Cryptography.X509Certificates;
using Gantry.Core.Security;

namespace Gantry.Server.Security;

/// <summary>
/// TLS client certificates, as kube-apiserver's x509 authenticator reads them: one that the cluster CA issued for client
/// authentication, valid now, names its user by the subject's common name and the user's groups by its organizations.
/// A certificate without a common name names nobody (other credentials may still), and one the CA did not issue, or
/// that has expired, is refused.
/// </summary>
public sealed class ClientCertificateAuthenticator(X509Certificate2Collection roots, TimeProvider time)
{
    public ClientCertificateAuthenticator(string caPem, TimeProvider time)
        : this(Roots(caPem), time)
    {
    }

    /// <summary>The user <paramref name="certificate"/> names, or null when it names none; <paramref name="refused"/> when it is not to be trusted.</summary>
    public RequestUser? Authenticate(X509Certificate2 certificate, out bool refused)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        refused = !ClientCertificateChain.IsTrusted(certificate, roots, time.GetUtcNow());
        if (refused)
        {
            return null;
        }

        var name = CertificateSubject.CommonName(certificate.SubjectName);
        var groups = CertificateSubject.Organizations(certificate.SubjectName).Where(o => o.Length > 0).ToList();
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        if (!groups.Contains(RequestUser.Authenticated, StringComparer.Ordinal))
        {
            groups.Add(RequestUser.Authenticated);
        }

        return new RequestUser(name, groups);
    }

    private static X509Certificate2Collection Roots(string caPem)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPem(caPem);
        return roots;
    }
}
