using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gantry.Server.Certificates;

/// <summary>
/// The usages a CertificateSigningRequest may ask for (certificates.k8s.io/v1 <c>KeyUsage</c>), and the X.509 key
/// usages and extended key usages each stands for, as kube's signing authority maps them.
/// </summary>
public static class KeyUsages
{
    private static readonly Dictionary<string, X509KeyUsageFlags> Key = new(StringComparer.Ordinal)
    {
        ["signing"] = X509KeyUsageFlags.DigitalSignature,
        ["digital signature"] = X509KeyUsageFlags.DigitalSignature,
        ["content commitment"] = X509KeyUsageFlags.NonRepudiation,
        ["key encipherment"] = X509KeyUsageFlags.KeyEncipherment,
        ["key agreement"] = X509KeyUsageFlags.KeyAgreement,
        ["data encipherment"] = X509KeyUsageFlags.DataEncipherment,
        ["cert sign"] = X509KeyUsageFlags.KeyCertSign,
        ["crl sign"] = X509KeyUsageFlags.CrlSign,
        ["encipher only"] = X509KeyUsageFlags.EncipherOnly,
        ["decipher only"] = X509KeyUsageFlags.DecipherOnly,
    };

    private static readonly Dictionary<string, string> Extended = new(StringComparer.Ordinal)
    {
        ["any"] = "2.5.29.37.0",
        ["server auth"] = "1.3.6.1.5.5.7.3.1",
        ["client auth"] = "1.3.6.1.5.5.7.3.2",
        ["code signing"] = "1.3.6.1.5.5.7.3.3",
        ["email protection"] = "1.3.6.1.5.5.7.3.4",
        ["s/mime"] = "1.3.6.1.5.5.7.3.4",
        ["ipsec end system"] = "1.3.6.1.5.5.7.3.5",
        ["ipsec tunnel"] = "1.3.6.1.5.5.7.3.6",
        ["ipsec user"] = "1.3.6.1.5.5.7.3.7",
        ["timestamping"] = "1.3.6.1.5.5.7.3.8",
        ["ocsp signing"] = "1.3.6.1.5.5.7.3.9",
        ["microsoft sgc"] = "1.3.6.1.4.1.311.10.3.3",
        ["netscape sgc"] = "2.16.840.1.113730.4.1",
    };

    /// <summary>Every usage the API accepts, in kube's order.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Key.Keys, .. Extended.Keys];

    public const string DigitalSignature = "digital signature";
    public const string KeyEncipherment = "key encipherment";
    public const string ClientAuth = "client auth";
    public const string ServerAuth = "server auth";

    public static bool IsKnown(string usage) => Key.ContainsKey(usage) || Extended.ContainsKey(usage);

    /// <summary>The key usage flags <paramref name="usages"/> stand for.</summary>
    public static X509KeyUsageFlags KeyUsageOf(IEnumerable<string> usages) =>
        usages.Aggregate(X509KeyUsageFlags.None, (flags, usage) => flags | Key.GetValueOrDefault(usage));

    /// <summary>The extended key usages <paramref name="usages"/> stand for, each once.</summary>
    public static OidCollection ExtendedKeyUsageOf(IEnumerable<string> usages)
    {
        var oids = new OidCollection();
        foreach (var oid in usages.Select(u => Extended.GetValueOrDefault(u)).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            oids.Add(new Oid(oid));
        }

        return oids;
    }
}
