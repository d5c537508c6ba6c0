using System.Security.Cryptography.X509Certificates;

namespace Gantry.Server.Security;

/// <summary>The parts of an X.509 subject that Kubernetes reads: the common name (a user) and the organizations (groups).</summary>
public static class CertificateSubject
{
    private const string CommonNameOid = "2.5.4.3";
    private const string OrganizationOid = "2.5.4.10";

    public static string? CommonName(X500DistinguishedName subject) => Values(subject, CommonNameOid).LastOrDefault();

    public static IReadOnlyList<string> Organizations(X500DistinguishedName subject) => [.. Values(subject, OrganizationOid)];

    private static IEnumerable<string> Values(X500DistinguishedName subject, string oid)
    {
        ArgumentNullException.ThrowIfNull(subject);
        foreach (var part in subject.EnumerateRelativeDistinguishedNames())
        {
            if (!part.HasMultipleElements && part.GetSingleElementType().Value == oid && part.GetSingleElementValue() is { } value)
            {
                yield return value;
            }
        }
    }
}
