using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Gantry.Server.Api;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Security;

/// <summary>
/// Bearer-token authentication: the admin token, or a bootstrap token (<see cref="BootstrapTokenAuthenticator"/>).
/// Health endpoints are public, as they are for the apiserver's anonymous probes, and so is a GET of
/// the <c>kube-public/cluster-info</c> ConfigMap by a request with no credentials, which kubeadm's
/// RBAC grants <c>system:anonymous</c> so that joining nodes can discover the cluster CA. Everything
/// else needs a known token and gets 401 Unauthorized otherwise, as does a request whose token is
/// wrong, whatever it asks for.
/// </summary>
/// <remarks>
/// Gantry has no authorization yet: a bootstrap token carries the same rights as the admin token.
/// </remarks>
public sealed class TokenAuthentication(string adminToken, BootstrapTokenAuthenticator? bootstrapTokens = null)
{
    private readonly byte[] _admin = Encoding.UTF8.GetBytes(adminToken);

    public static bool IsPublic(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments("/livez");

    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (IsPublic(context.Request.Path) || IsAuthenticated(authorization) ||
            (authorization.Length == 0 && ClusterInfo.IsAnonymousRead(context.Request)))
        {
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

    private bool IsAuthenticated(string header)
    {
        const string prefix = "Bearer ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var token = header[prefix.Length..].Trim();
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), _admin) ||
            (bootstrapTokens is not null && bootstrapTokens.IsValid(token));
    }
}
