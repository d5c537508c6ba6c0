using System.Security.Cryptography.X509Certificates;
using Gantry.Core.Security;

namespace Gantry.Agent.Serving;

/// <summary>
/// Who may call the agent's endpoint: the API server, recognised as a kubelet recognises it, by a TLS client
/// certificate that the cluster CA signed for client authentication with <see cref="AgentClientIdentity.CommonName"/>.
/// Neither a join token nor the admin token opens it.
/// </summary>
public sealed class ApiServerClientCertificate
{
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    private readonly X509Certificate2Collection _ca = [];

    /// <param name="caPem">The cluster CA the agent trusts (what it verified when it joined).</param>
    public ApiServerClientCertificate(string caPem) => _ca.ImportFromPem(caPem);

    public bool IsTrusted(X509Certificate2? certificate)
    {
        if (certificate is null || certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false) != AgentClientIdentity.CommonName)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // A stranger's certificate must not make the agent fetch its issuer from a URL of the stranger's choosing.
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.CustomTrustStore.AddRange(_ca);
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(ClientAuthentication));
        return chain.Build(certificate);
    }
}
