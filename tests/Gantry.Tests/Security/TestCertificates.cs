using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gantry.Core.Security;

namespace Gantry.Tests.Security;

/// <summary>A throwaway CA and the certificates it issues, for the tests of client certificate authentication and signing.</summary>
internal static class TestCertificates
{
    public static X509Certificate2 Authority(string name = "test-ca")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    public static X509Certificate2 Client(
        X509Certificate2 authority, string subject, DateTimeOffset? notAfter = null, string usage = ClientCertificateChain.ClientAuthentication)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        var end = notAfter ?? DateTimeOffset.UtcNow.AddDays(1);
        var start = new[] { DateTimeOffset.UtcNow.AddMinutes(-1), end.AddMinutes(-1) }.Min();
        var authorityStart = new DateTimeOffset(authority.NotBefore.ToUniversalTime());
        return request.Create(authority, start < authorityStart ? authorityStart : start, end, [1, 2, 3]);
    }
}
