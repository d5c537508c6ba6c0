using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s.Models;

namespace Gantry.Server.Certificates;

/// <summary>What a CertificateSigningRequest asks and where it stands, as kube's certificates helpers read it.</summary>
public static class SigningRequests
{
    public const string Approved = "Approved";
    public const string Denied = "Denied";
    public const string Failed = "Failed";

    /// <summary>
    /// The PKCS #10 request in <paramref name="pem"/> (the first PEM block, which must be a <c>CERTIFICATE REQUEST</c>),
    /// its signature checked, with the extensions it asks for (of which only the subject alternative names are issued).
    /// </summary>
    /// <exception cref="FormatException">It is no such request, with why in kube's words.</exception>
    public static CertificateRequest Parse(byte[]? pem)
    {
        var text = Encoding.ASCII.GetString(pem ?? []);
        if (!PemEncoding.TryFind(text, out var fields))
        {
            throw new FormatException("PEM block type must be CERTIFICATE REQUEST");
        }

        if (text[fields.Label] is not "CERTIFICATE REQUEST")
        {
            throw new FormatException("PEM block type must be CERTIFICATE REQUEST");
        }

        try
        {
            return CertificateRequest.LoadSigningRequest(
                Convert.FromBase64String(text[fields.Base64Data]), HashAlgorithmName.SHA256, out _, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        }
        catch (CryptographicException ex)
        {
            throw new FormatException(ex.Message, ex);
        }
    }

    public static bool IsApproved(V1CertificateSigningRequest csr) =>
        HasTrue(csr, Approved) && !HasTrue(csr, Denied);

    public static bool HasTrue(V1CertificateSigningRequest csr, string type) =>
        csr.Status?.Conditions?.Any(c => c.Type == type && c.Status == "True") == true;

    public static bool IsIssued(V1CertificateSigningRequest csr) => csr.Status?.Certificate is { Length: > 0 };
}
