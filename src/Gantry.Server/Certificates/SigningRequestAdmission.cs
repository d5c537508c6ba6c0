using System.Security.Cryptography.X509Certificates;
using Gantry.Core.Resources;
using Gantry.Core.Security;
using Gantry.Server.Api;
using Gantry.Server.Registry;
using Gantry.Server.Security;
using k8s;
using k8s.Models;

namespace Gantry.Server.Certificates;

/// <summary>
/// What kube-apiserver admits of CertificateSigningRequest writes for who sends them. A create records its requester
/// in the spec (<c>username</c>, <c>groups</c>), whatever the body says, as kube's strategy does, and may not ask the
/// <c>kube-apiserver-client</c> signer for a member of <c>system:masters</c> (kube's CertificateSubjectRestriction) or
/// for the API server's own identity towards the agents. Any write to <c>approval</c> needs the verb <c>approve</c>, and
/// a write to <c>status</c> that changes its conditions or certificate the verb <c>sign</c>, on the <c>signers</c>
/// resource named after the signer or its domain (<c>example.com/*</c>), as kube's CertificateApproval and
/// CertificateSigning plugins ask. Writes without a user (the server's own) pass.
/// </summary>
public sealed class SigningRequestAdmission(RequestAuthorizer authorizer) : IWriteAdmission
{
    private const string Group = "certificates.k8s.io";

    public void Admit(ResourceType type, string? ns, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta>? old, WriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(options);
        if (obj is not V1CertificateSigningRequest csr || options.User is not { } user)
        {
            return;
        }

        var name = csr.Metadata.Name;
        if (old is not V1CertificateSigningRequest stored)
        {
            csr.Spec.Username = user.Name;
            csr.Spec.Uid = null;
            csr.Spec.Groups = [.. user.Groups];
            csr.Spec.Extra = null;
            if (SubjectRefusal(csr) is { } refusal)
            {
                throw ApiException.Forbidden(type, name, refusal);
            }

            return;
        }

        // kube's CertificateApproval plugin judges every write to approval, its CertificateSigning plugin every status
        // write that changes the conditions or the certificate, against the stored signer.
        var signer = stored.Spec?.SignerName ?? "";
        if (options.Subresource == SigningRequestWrites.Approval && !Authorized(user, "approve", signer))
        {
            throw ApiException.Forbidden(type, name, $"user not permitted to approve requests with signerName \"{signer}\"");
        }

        if (options.Subresource == "status" && !SameStatus(csr, stored) && !Authorized(user, "sign", signer))
        {
            throw ApiException.Forbidden(type, name, $"user not permitted to sign requests with signerName \"{signer}\"");
        }
    }

    private static string? SubjectRefusal(V1CertificateSigningRequest csr)
    {
        if (csr.Spec.SignerName != ClusterSigner.KubeApiServerClient)
        {
            return null;
        }

        CertificateRequest request;
        try
        {
            request = SigningRequests.Parse(csr.Spec.Request);
        }
        catch (FormatException)
        {
            return null;
        }

        if (CertificateSubject.Organizations(request.SubjectName).Contains(RequestUser.Masters, StringComparer.Ordinal))
        {
            return $"use of {ClusterSigner.KubeApiServerClient} signer with {RequestUser.Masters} group is not allowed";
        }

        return AgentClientIdentity.IsNamedIn(request.SubjectName, request.CertificateExtensions)
            ? $"use of {ClusterSigner.KubeApiServerClient} signer with {AgentClientIdentity.CommonName} in the subject or its names is not allowed"
            : null;
    }

    /// <summary>kube's <c>IsAuthorizedForSignerName</c>: the verb on the signer by its name, else on all of its domain's.</summary>
    private bool Authorized(RequestUser user, string verb, string signer) =>
        authorizer.Allows(user, new RequestAttributes(verb, Group, "signers", null, null, signer))
        || (signer.IndexOf('/', StringComparison.Ordinal) is var slash and > 0
            && authorizer.Allows(user, new RequestAttributes(verb, Group, "signers", null, null, signer[..slash] + "/*")));

    private static bool SameStatus(V1CertificateSigningRequest csr, V1CertificateSigningRequest stored) =>
        (csr.Status?.Certificate ?? []).AsSpan().SequenceEqual(stored.Status?.Certificate ?? [])
        && Conditions(csr).SequenceEqual(Conditions(stored));

    private static IEnumerable<(string Type, string Status, string Reason, string Message)> Conditions(V1CertificateSigningRequest csr) =>
        (csr.Status?.Conditions ?? []).Select(c => (c.Type, c.Status, c.Reason, c.Message));
}
