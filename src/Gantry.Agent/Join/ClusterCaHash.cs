using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gantry.Agent.Join;

/// <summary>
/// The CA hash of a join token, exactly as k3s's <c>hashCA</c>: hex SHA-256 of the literal bytes of a
/// single-certificate bundle (the PEM file as stored); for a bundle of several certificates, of the
/// DER of the root that the first certificate chains to, so that intermediates can be renewed.
/// </summary>
public static class ClusterCaHash
{
    /// <exception cref="FormatException">The bundle holds no PEM certificate.</exception>
    public static string Compute(byte[] caBundle)
    {
        ArgumentNullException.ThrowIfNull(caBundle);
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(System.Text.Encoding.UTF8.GetString(caBundle));
        }
        catch (CryptographicException ex)
        {
            throw new FormatException("the CA bundle is not PEM-encoded certificates", ex);
        }

        if (certificates.Count == 0)
        {
            throw new FormatException("the CA bundle holds no certificate");
        }

        var hashed = caBundle;
        if (certificates.Count > 1 && RootOf(certificates) is { } root)
        {
            hashed = root;
        }

        foreach (var certificate in certificates)
        {
            certificate.Dispose();
        }

        return Convert.ToHexStringLower(SHA256.HashData(hashed));
    }

    /// <summary>The DER of the root the first certificate chains to through the others, or null when it does not.</summary>
    private static byte[]? RootOf(X509Certificate2Collection certificates)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        for (var i = 1; i < certificates.Count; i++)
        {
            var certificate = certificates[i];
            if (certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData))
            {
                chain.ChainPolicy.CustomTrustStore.Add(certificate);
            }
            else
            {
                chain.ChainPolicy.ExtraStore.Add(certificate);
            }
        }

        return chain.Build(certificates[0]) ? chain.ChainElements[^1].Certificate.RawData : null;
    }
}
