using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Gantry.Core.Security;
using Gantry.Server.Api;
using Gantry.Server.Security.ServiceAccounts;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Security;

/// <summary>
/// Bearer-token authentication: the admin token, a bootstrap token (<see cref="BootstrapTokenAuthenticator"/>), or a
/// service account token (<see cref="ServiceAccountAuthenticator"/>), each attached to the request as its <see cref="RequestUser"/> for the <see cref="RequestAuthorizer"/>. Where a
/// bootstrap token's requests come from is noted in <see cref="NodeClientAddresses"/>.
/// Health endpoints are public, as they are for the apiserver's anonymous probes, and so is a GET of
/// the <c>kube-public/cluster-info</c> ConfigMap by a request with no credentials, which kubeadm's
/// RBAC grants <c>system:anonymous</c> so that joining nodes can discover the cluster CA. Everything
/// else needs a known token and gets 401 Unauthorized otherwise, as does a request whose token is
/// wrong, whatever it asks for. A TokenReview asks the same of a token it is sent (<see cref="Authenticate(string, IReadOnlyList{string})"/>).
/// </summary>
public sealed class TokenAuthentication(
    string adminToken,
    BootstrapTokenAuthenticator? bootstrapTokens = null,
    NodeClientAddresses? nodeClients = null,
    ServiceAccountAuthenticator? serviceAccounts = null)
{
    private readonly byte[] _admin = Encoding.UTF8.GetBytes(adminToken);

    public static bool IsPublic(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments("/livez");

    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        var user = Authenticate(authorization);
        if (user is not null || IsPublic(context.Request.Path) || (authorization.Length == 0 && ClusterInfo.IsAnonymousRead(context.Request)))
        {
            (user ?? RequestUser.Anonymous).AttachTo(context);
            if (user?.TokenId is not null)
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

    private RequestUser? Authenticate(string header)
    {
        const string prefix = "Bearer ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return Authenticate(header[prefix.Length..].Trim(), ServiceAccountTokens.ApiAudiences).User;
    }

    /// <summary>
    /// The user <paramref name="token"/> authenticates as in a request meant for <paramref name="audiences"/>, as a
    /// TokenReview asks. The admin and bootstrap tokens name no audience and are good for this server's API audiences
    /// only, as kube wraps its audience-agnostic authenticators; a service account token is good for the audiences it
    /// carries.
    /// </summary>
    public TokenAuthenticationResult Authenticate(string token, IReadOnlyList<string> audiences)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(audiences);
        // Every request asks for the API audiences themselves: only a TokenReview's own list needs matching.
        IReadOnlyList<string> apiAudiences = ReferenceEquals(audiences, ServiceAccountTokens.ApiAudiences)
            ? audiences
            : [.. ServiceAccountTokens.ApiAudiences.Intersect(audiences, StringComparer.Ordinal)];
        if (apiAudiences.Count > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), _admin))
        {
            return new TokenAuthenticationResult(RequestUser.Admin, apiAudiences);
        }

        if (apiAudiences.Count > 0 && bootstrapTokens is not null && bootstrapTokens.IsValid(token) && BootstrapToken.TryParse(token, out var bootstrap))
        {
            return new TokenAuthenticationResult(RequestUser.BootstrapToken(bootstrap.Id), apiAudiences);
        }

        return serviceAccounts?.Authenticate(token, audiences) ?? TokenAuthenticationResult.Refused;
    }
}
