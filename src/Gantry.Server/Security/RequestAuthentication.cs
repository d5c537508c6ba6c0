using System.Text.Json.Nodes;
using Gantry.Server.Api;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Security;

/// <summary>
/// Who sent each request, attached to it as its <see cref="RequestUser"/> for the <see cref="RequestAuthorizer"/>: a TLS
/// client certificate the cluster CA issued (<see cref="ClientCertificateAuthenticator"/>), else a bearer token
/// (<see cref="TokenAuthentication"/>), in kube-apiserver's order. Where a bootstrap token's requests come from is noted
/// in <see cref="NodeClientAddresses"/>. Health endpoints are public, as they are for the apiserver's anonymous probes
/// (whatever credentials come with them), and so is a GET of the <c>kube-public/cluster-info</c> ConfigMap by a request with no credentials, which kubeadm's
/// RBAC grants <c>system:anonymous</c> so that joining nodes can discover the cluster CA. Everything else needs known
/// credentials and gets 401 Unauthorized otherwise, as does a request whose token or certificate is refused and that
/// no other credential names, whatever it asks for.
/// </summary>
public sealed class RequestAuthentication(
    TokenAuthentication tokens, ClientCertificateAuthenticator? certificates = null, NodeClientAddresses? nodeClients = null)
{
    public static bool IsPublic(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments("/livez");

    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var certificateRefused = false;
        var user = context.Connection.ClientCertificate is { } certificate && certificates is not null
            ? certificates.Authenticate(certificate, out certificateRefused)
            : null;
        var authorization = context.Request.Headers.Authorization.ToString();
        var byToken = user is null ? tokens.AuthenticateHeader(authorization) : null;
        user ??= byToken;
        var anonymous = IsPublic(context.Request.Path)
            || (authorization.Length == 0 && !certificateRefused && ClusterInfo.IsAnonymousRead(context.Request));
        if (user is not null || anonymous)
        {
            (user ?? RequestUser.Anonymous).AttachTo(context);
            if (byToken?.TokenId is not null)
            {
                nodeClients?.Saw(context.Connection.RemoteIpAddress);
            }

            await next().ConfigureAwait(false);
            return;
        }

        await HttpResponses.WriteJsonAsync(context, 401, new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = "Unauthorized",
            ["reason"] = "Unauthorized",
            ["code"] = 401,
        }).ConfigureAwait(false);
    }
}
