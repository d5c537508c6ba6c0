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
    private const string CommonNameOid = "2.5.4.3";
    private const string OrganizationOid = "2.5.4.10";

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

        string? name = null;
        var groups = new List<string>();
        foreach (var part in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (part.HasMultipleElements)
            {
                continue;
            }

            switch (part.GetSingleElementType().Value)
            {
                case CommonNameOid:
                    name = part.GetSingleElementValue();
                    break;
                case OrganizationOid when part.GetSingleElementValue() is { Length: > 0 } organization:
                    groups.Add(organization);
                    break;
            }
        }

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
