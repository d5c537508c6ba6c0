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
    private readonly X509Certificate2Collection _ca = [];

    /// <param name="caPem">The cluster CA the agent trusts (what it verified when it joined).</param>
    public ApiServerClientCertificate(string caPem) => _ca.ImportFromPem(caPem);

    public bool IsTrusted(X509Certificate2? certificate)
    {
        // Only a subject whose one common name is the identity: GetNameInfo would fall back to other attributes and names.
        if (certificate is null || CertificateSubject.SoleCommonName(certificate.SubjectName) != AgentClientIdentity.CommonName)
        {
            return false;
        }

        return ClientCertificateChain.IsTrusted(certificate, _ca, DateTimeOffset.UtcNow);
    }
}
