using Gantry.Core.Security;

namespace Gantry.Agent.Join;

/// <summary>
/// A join token in k3s's secure format, <c>K10&lt;CA hash&gt;::&lt;id&gt;.&lt;secret&gt;</c>: the hash
/// lets the agent authenticate the server before it sends the bootstrap token, so the token alone is
/// enough to join. <see cref="CaHash"/> is null for a bare bootstrap token (k3s's short format).
/// </summary>
public sealed record JoinToken(string? CaHash, BootstrapToken Token)
{
    public const string Prefix = "K10";

    /// <summary>Hex SHA-256: 64 characters.</summary>
    private const int CaHashLength = 64;

    /// <summary>The secure form, for the CA bundle <paramref name="caBundle"/> (the PEM bytes as the server stores them).</summary>
    public static string Format(byte[] caBundle, BootstrapToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Prefix + ClusterCaHash.Compute(caBundle) + "::" + token;
    }

    public override string ToString() => Prefix + CaHash + "::" + Token;

    /// <summary>Parses either form, as k3s's <c>parseToken</c> does, less its username:password credentials.</summary>
    /// <exception cref="FormatException">The text is neither a K10 token nor a bootstrap token.</exception>
    public static JoinToken Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            throw new FormatException("token must not be empty");
        }

        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            text = Prefix + "::" + text;
        }

        var rest = text[Prefix.Length..];
        var separator = rest.IndexOf("::", StringComparison.Ordinal);
        string? hash = null;
        if (separator >= 0)
        {
            hash = rest[..separator];
            if (hash.Length > 0 && hash.Length != CaHashLength)
            {
                throw new FormatException("invalid token CA hash length");
            }

            rest = rest[(separator + 2)..];
        }

        if (!BootstrapToken.TryParse(rest, out var token))
        {
            throw new FormatException("invalid token format: expected K10<CA hash>::<id>.<secret> as 'gantry token create' prints it");
        }

        return new JoinToken(string.IsNullOrEmpty(hash) ? null : hash, token);
    }
}
