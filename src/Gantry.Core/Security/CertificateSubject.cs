using System.Security.Cryptography.X509Certificates;

namespace Gantry.Core.Security;

/// <summary>The parts of an X.509 subject that Kubernetes reads: the common name (a user) and the organizations (groups).</summary>
public static class CertificateSubject
{
    private const string CommonNameOid = "2.5.4.3";
    private const string OrganizationOid = "2.5.4.10";

    /// <summary>The common name as Go's <c>pkix.Name</c> reads it: the last one, of single-valued parts only.</summary>
    public static string? CommonName(X500DistinguishedName subject) => Values(subject, CommonNameOid).LastOrDefault();

    /// <summary>
    /// The common name of a subject that has exactly one and nothing ambiguous (no part with several attributes), or
    /// null: where a name grants rights, no reading of the subject may find another.
    /// </summary>
    public static string? SoleCommonName(X500DistinguishedName subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var parts = subject.EnumerateRelativeDistinguishedNames().ToList();
        if (parts.Any(p => p.HasMultipleElements))
        {
            return null;
        }

        var names = Values(subject, CommonNameOid).ToList();
        return names.Count == 1 ? names[0] : null;
    }

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
