using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gantry.Core.Security;
using Gantry.Server.Security;

namespace Gantry.Server.Certificates;

/// <summary>
/// The <c>kubernetes.io/kube-apiserver-client</c> signer of kube-controller-manager's csrsigning controller, with the
/// cluster CA: client certificates that this server's x509 authentication trusts. A request is checked first
/// (<see cref="Refusal"/>), then signed for the subject, the subject alternative names and the public key it names, with
/// the usages the CertificateSigningRequest asks for, for its <c>expirationSeconds</c> (at least ten minutes, at most the
/// signing duration, a year by default), valid from five minutes ago against clock skew, as kube's signer issues them.
/// </summary>
public sealed class ClusterSigner(X509Certificate2 authority, TimeSpan signingDuration)
{
    public const string KubeApiServerClient = "kubernetes.io/kube-apiserver-client";

    /// <summary>kube's signer backdates every certificate by this much; a requested duration is never below twice it.</summary>
    private static readonly TimeSpan Backdate = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan MinimumDuration = TimeSpan.FromMinutes(10);

    /// <summary>kube's signer counts a certificate as short below this; a short one keeps its whole duration after now.</summary>
    private static readonly TimeSpan Short = TimeSpan.FromHours(8);

    private static readonly string[] ClientUsages = [KeyUsages.DigitalSignature, KeyUsages.KeyEncipherment, KeyUsages.ClientAuth];

    /// <summary>kube-controller-manager's default <c>--cluster-signing-duration</c>.</summary>
    public static TimeSpan DefaultSigningDuration { get; } = TimeSpan.FromDays(365);

    /// <summary>Whether this signer signs for <paramref name="signerName"/>; requests for other signers wait for theirs.</summary>
    public static bool SignsFor(string? signerName) => signerName == KubeApiServerClient;

    /// <summary>
    /// Why the signer will not sign <paramref name="request"/> with <paramref name="usages"/>, in the words of kube's
    /// signer, or null when it will. A certificate naming the API server's identity towards the agents anywhere (its
    /// subject, its alternative names) is never issued: it would open every node's agent.
    /// </summary>
    public static string? Refusal(CertificateRequest request, IReadOnlyList<string> usages)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(usages);
        if (usages.FirstOrDefault(u => !ClientUsages.Contains(u, StringComparer.Ordinal)) is { } usage)
        {
            return $"invalid usage for client certificate: {usage}";
        }

        if (!usages.Contains(KeyUsages.ClientAuth, StringComparer.Ordinal))
        {
            return "missing required usage for client certificate: client auth";
        }

        return AgentClientIdentity.IsNamedIn(request.SubjectName, request.CertificateExtensions)
            ? $"{AgentClientIdentity.CommonName} is reserved for the API server"
            : null;
    }

    /// <summary>The PEM of the certificate issued for <paramref name="request"/>.</summary>
    public string Sign(CertificateRequest request, IReadOnlyList<string> usages, int? expirationSeconds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(usages);
        var template = new CertificateRequest(request.SubjectName, request.PublicKey, HashAlgorithmName.SHA256);
        template.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        if (KeyUsages.KeyUsageOf(usages) is var keyUsage and not X509KeyUsageFlags.None)
        {
            template.CertificateExtensions.Add(new X509KeyUsageExtension(keyUsage, true));
        }

        if (KeyUsages.ExtendedKeyUsageOf(usages) is { Count: > 0 } extended)
        {
            template.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(extended, false));
        }

        foreach (var names in request.CertificateExtensions.OfType<X509SubjectAlternativeNameExtension>())
        {
            template.CertificateExtensions.Add(names);
        }

        template.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        // kube's signing policy: the backdating comes off the end too, unless the certificate is short (under 8 h).
        var duration = Duration(expirationSeconds);
        var notBefore = now - Backdate;
        var notAfter = now + duration - (duration >= Short ? Backdate : TimeSpan.Zero);
        if (notAfter > authority.NotAfter)
        {
            notAfter = authority.NotAfter;
        }

        // The CA signs whatever the requester's key algorithm.
        using var ecdsa = authority.GetECDsaPrivateKey();
        using var rsa = ecdsa is null ? authority.GetRSAPrivateKey() : null;
        var generator = ecdsa is not null ? X509SignatureGenerator.CreateForECDsa(ecdsa)
            : rsa is not null ? X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1)
            : throw new InvalidOperationException("the cluster CA has no key to sign with");
        using var certificate = template.Create(authority.SubjectName, generator, notBefore, notAfter, ClusterCredentials.Serial());
        return certificate.ExportCertificatePem() + "\n";
    }

    private TimeSpan Duration(int? expirationSeconds)
    {
        if (expirationSeconds is not { } seconds)
        {
            return signingDuration;
        }

        var requested = TimeSpan.FromSeconds(seconds);
        return requested > signingDuration ? signingDuration : requested < MinimumDuration ? MinimumDuration : requested;
    }
}
