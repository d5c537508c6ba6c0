using System.Security.Cryptography;
using System.Text;
using Gantry.Core.Security;
using Gantry.Server.Security.ServiceAccounts;

namespace Gantry.Server.Security;

/// <summary>
/// Bearer tokens: the admin token, a bootstrap token (<see cref="BootstrapTokenAuthenticator"/>), or a service account
/// token (<see cref="ServiceAccountAuthenticator"/>), each naming the request's <see cref="RequestUser"/> for
/// <see cref="RequestAuthentication"/>. A TokenReview asks the same of a token it is sent
/// (<see cref="Authenticate(string, IReadOnlyList{string})"/>).
/// </summary>
public sealed class TokenAuthentication(
    string adminToken,
    BootstrapTokenAuthenticator? bootstrapTokens = null,
    ServiceAccountAuthenticator? serviceAccounts = null)
{
    private readonly byte[] _admin = Encoding.UTF8.GetBytes(adminToken);

    /// <summary>The user an <c>Authorization</c> header's bearer token names, or null when it names none.</summary>
    public RequestUser? AuthenticateHeader(string header)
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
