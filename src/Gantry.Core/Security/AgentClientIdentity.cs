using System.Security.Cryptography.X509Certificates;

namespace Gantry.Core.Security;

/// <summary>
/// How the API server proves itself to node agents, as kube-apiserver does to kubelets with its
/// <c>apiserver-kubelet-client</c> certificate: a TLS client certificate signed by the cluster CA with this
/// common name. No bearer token travels to an agent, so none can be stolen by a Node that lies about its address.
/// </summary>
public static class AgentClientIdentity
{
    public const string CommonName = "gantry-apiserver-agent-client";

    /// <summary>
    /// Whether a certificate asked for with this subject and these extensions would name the identity anywhere (any
    /// attribute of the subject, any subject alternative name): no such certificate is issued to anyone else.
    /// </summary>
    public static bool IsNamedIn(X500DistinguishedName subject, IEnumerable<X509Extension> extensions)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(extensions);
        return subject.Format(false).Contains(CommonName, StringComparison.OrdinalIgnoreCase)
            || subject.Name.Contains(CommonName, StringComparison.OrdinalIgnoreCase)
            || extensions.OfType<X509SubjectAlternativeNameExtension>()
                .Any(e => e.Format(false).Contains(CommonName, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The Node annotation naming the bootstrap token an agent joined with (its id): NodeRestriction's stamp.</summary>
    public const string TokenIdAnnotation = "gantry.io/agent-bootstrap-token-id";
}
