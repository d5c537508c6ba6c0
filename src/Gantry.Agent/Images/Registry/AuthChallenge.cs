using System.Text;

namespace Gantry.Agent.Images.Registry;

/// <summary>
/// One challenge of a WWW-Authenticate header (RFC 7235): a scheme and its parameters, such as
/// <c>Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"</c>.
/// Registries answer 401 with it; the client fetches a token from the realm and retries.
/// </summary>
/// <param name="Scheme">"Bearer" or "Basic" (compared case-insensitively).</param>
/// <param name="Parameters">auth-params by lower-cased name, quoted strings unescaped.</param>
public sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    public string? Parameter(string name) => Parameters.TryGetValue(name, out var value) ? value : null;

    /// <summary>Every challenge in a header value; several may share one header, separated by commas.</summary>
    /// <exception cref="FormatException">The header is malformed.</exception>
    public static IReadOnlyList<AuthChallenge> ParseAll(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var challenges = new List<AuthChallenge>();
        var i = 0;
        string? scheme = null;
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        while (true)
        {
            SkipSeparators(header, ref i);
            if (i >= header.Length)
            {
                break;
            }

            var token = ReadToken(header, ref i);
            SkipSpaces(header, ref i);
            if (i < header.Length && header[i] == '=' && scheme is not null)
            {
                i++;
                SkipSpaces(header, ref i);
                parameters[token.ToLowerInvariant()] = i < header.Length && header[i] == '"' ? ReadQuoted(header, ref i) : ReadToken(header, ref i);
                continue;
            }

            if (token.Length == 0)
            {
                throw new FormatException($"malformed WWW-Authenticate header: {header}");
            }

            if (scheme is not null)
            {
                challenges.Add(new AuthChallenge(scheme, parameters));
                parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            }

            scheme = token;
        }

        if (scheme is not null)
        {
            challenges.Add(new AuthChallenge(scheme, parameters));
        }

        return challenges;
    }

    private static void SkipSpaces(string text, ref int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t')
        {
            i++;
        }
    }

    private static void SkipSeparators(string text, ref int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t' or ',')
        {
            i++;
        }
    }

    private static string ReadToken(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && text[i] is not (' ' or '\t' or ',' or '=' or '"'))
        {
            i++;
        }

        return text[start..i];
    }

    private static string ReadQuoted(string text, ref int i)
    {
        var value = new StringBuilder();
        for (i++; i < text.Length; i++)
        {
            if (text[i] == '"')
            {
                i++;
                return value.ToString();
            }

            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
            }

            value.Append(text[i]);
        }

        throw new FormatException($"unterminated quoted string in WWW-Authenticate header: {text}");
    }
}
