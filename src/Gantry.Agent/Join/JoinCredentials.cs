namespace Gantry.Agent.Join;

/// <summary>What an agent needs to talk to its server: the bearer token to present and the CA to trust (PEM).</summary>
public sealed record JoinCredentials(string Token, string CaPem)
{
    /// <summary>
    /// With a CA file, the token is used as given (the admin token, or a bare bootstrap token);
    /// without one, the token must be a K10 join token and the CA is discovered and verified from it.
    /// </summary>
    /// <exception cref="InvalidOperationException">Discovery failed or the token is not a join token.</exception>
    public static async Task<JoinCredentials> ResolveAsync(Uri server, string token, string? caFile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (caFile is not null)
        {
            return new JoinCredentials(token, await File.ReadAllTextAsync(caFile, cancellationToken).ConfigureAwait(false));
        }

        JoinToken join;
        try
        {
            join = JoinToken.Parse(token);
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"{ex.Message} (or pass --ca-file with the admin token)", ex);
        }

        var ca = await ClusterInfoDiscovery.DiscoverCaAsync(server, join, cancellationToken).ConfigureAwait(false);
        return new JoinCredentials(join.Token.ToString(), ca);
    }
}
