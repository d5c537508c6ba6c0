using System.Collections.Concurrent;
using System.Security.Cryptography;
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

    /// <summary>How long a verdict on a certificate is kept: HTTP/2 clients send many requests over one connection.</summary>
    private static readonly TimeSpan Remembered = TimeSpan.FromMinutes(5);

    private const int RememberedCertificates = 1024;

    private readonly ConcurrentDictionary<string, Verdict> _verdicts = new(StringComparer.Ordinal);

    /// <summary>The user <paramref name="certificate"/> names, or null when it names none; <paramref name="refused"/> when it is not to be trusted.</summary>
    public RequestUser? Authenticate(X509Certificate2 certificate, out bool refused)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var now = time.GetUtcNow();
        var key = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        if (!_verdicts.TryGetValue(key, out var verdict) || verdict.Until <= now)
        {
            verdict = Judge(certificate, now);
            if (_verdicts.Count >= RememberedCertificates)
            {
                _verdicts.Clear();
            }

            _verdicts[key] = verdict;
        }

        refused = verdict.Refused;
        return verdict.User;
    }

    private Verdict Judge(X509Certificate2 certificate, DateTimeOffset now)
    {
        // Never past the certificate's own end, so that an expired one is judged again.
        var until = new DateTimeOffset(certificate.NotAfter.ToUniversalTime()) is var notAfter && notAfter < now + Remembered ? notAfter : now + Remembered;
        if (!ClientCertificateChain.IsTrusted(certificate, roots, now))
        {
            return new Verdict(null, Refused: true, until);
        }

        var name = CertificateSubject.CommonName(certificate.SubjectName);
        if (string.IsNullOrEmpty(name))
        {
            return new Verdict(null, Refused: false, until);
        }

        var groups = CertificateSubject.Organizations(certificate.SubjectName).Where(o => o.Length > 0).ToList();
        if (!groups.Contains(RequestUser.Authenticated, StringComparer.Ordinal))
        {
            groups.Add(RequestUser.Authenticated);
        }

        return new Verdict(new RequestUser(name, groups), Refused: false, until);
    }

    private sealed record Verdict(RequestUser? User, bool Refused, DateTimeOffset Until);

    private static X509Certificate2Collection Roots(string caPem)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPem(caPem);
        return roots;
    }
}
