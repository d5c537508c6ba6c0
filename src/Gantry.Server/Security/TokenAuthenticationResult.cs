namespace Gantry.Server.Security;

/// <summary>
/// What authenticating a bearer token for some audiences found, in the terms of k8s.io/apiserver's
/// <c>authenticator.Response</c>: the user, with the uid and extra a service account token gives it, and the audiences
/// the token is good for among those asked; or no user, with kube's words for why where they say more than
/// <c>invalid bearer token</c>.
/// </summary>
public sealed record TokenAuthenticationResult(RequestUser? User, IReadOnlyList<string> Audiences)
{
    public static TokenAuthenticationResult Refused { get; } = new(null, []);

    public string Uid { get; init; } = "";

    /// <summary>kube's user extra, keys in order as Go's JSON writes a map.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Extra { get; init; } = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    public string? Error { get; init; }

    public static TokenAuthenticationResult Refusal(string error) => Refused with { Error = error };
}
