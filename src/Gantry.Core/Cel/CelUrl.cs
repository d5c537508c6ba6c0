using System.Text;

namespace Gantry.Core.Cel;

/// <summary>
/// A URL value of Kubernetes' URL library, parsed as Go's <c>url.ParseRequestURI</c> parses: an absolute URL or an
/// absolute path, no fragment splitting.
/// </summary>
public sealed class CelUrl : IEquatable<CelUrl>
{
    private CelUrl(string text, string scheme, string host, string escapedPath, string rawQuery)
    {
        Text = text;
        Scheme = scheme;
        Host = host;
        EscapedPath = escapedPath;
        RawQuery = rawQuery;
    }

    /// <summary>The string the URL was parsed from.</summary>
    public string Text { get; }

    public string Scheme { get; }

    /// <summary>Host and port as written, IPv6 literals in brackets.</summary>
    public string Host { get; }

    public string EscapedPath { get; }

    public string RawQuery { get; }

    /// <summary>The host without port, and without brackets for IPv6.</summary>
    public string Hostname
    {
        get
        {
            if (Host.StartsWith('['))
            {
                var close = Host.IndexOf(']', StringComparison.Ordinal);
                return close < 0 ? Host : Host[1..close];
            }
            var colon = Host.LastIndexOf(':');
            return colon < 0 ? Host : Host[..colon];
        }
    }

    public string Port
    {
        get
        {
            var colon = Host.LastIndexOf(':');
            var close = Host.LastIndexOf(']');
            return colon < 0 || colon < close ? "" : Host[(colon + 1)..];
        }
    }

    /// <summary>Parses <paramref name="text"/>, or returns null with the reason Go would give.</summary>
    internal static CelUrl? TryParse(string text, out string error)
    {
        error = "";
        if (text.Length == 0)
        {
            error = "empty url";
            return null;
        }
        if (text.Any(c => c < 0x20 || c == 0x7F))
        {
            error = "invalid control character in URL";
            return null;
        }
        var rest = text;
        var scheme = "";
        for (var i = 0; i < rest.Length; i++)
        {
            var c = rest[i];
            if (char.IsAsciiLetter(c) || i > 0 && (char.IsAsciiDigit(c) || c is '+' or '-' or '.'))
            {
                continue;
            }
            if (c == ':')
            {
                if (i == 0)
                {
                    error = "missing protocol scheme";
                    return null;
                }
                scheme = rest[..i].ToLowerInvariant();
                rest = rest[(i + 1)..];
            }
            break;
        }
        var rawQuery = "";
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            rawQuery = rest[(q + 1)..];
            rest = rest[..q];
        }
        if (!rest.StartsWith('/'))
        {
            if (scheme.Length > 0)
            {
                return new CelUrl(text, scheme, "", "", rawQuery);
            }
            error = "invalid URI for request";
            return null;
        }
        var host = "";
        if (scheme.Length > 0 && rest.StartsWith("//", StringComparison.Ordinal))
        {
            var authority = rest[2..];
            var slash = authority.IndexOf('/', StringComparison.Ordinal);
            rest = slash < 0 ? "" : authority[slash..];
            authority = slash < 0 ? authority : authority[..slash];
            var at = authority.LastIndexOf('@');
            host = at < 0 ? authority : authority[(at + 1)..];
            if (!ValidHost(host, out error))
            {
                return null;
            }
        }
        if (!ValidEscapes(rest))
        {
            error = "invalid URL escape";
            return null;
        }
        return new CelUrl(text, scheme, host, EscapePath(rest), rawQuery);
    }

    private static bool ValidHost(string host, out string error)
    {
        error = "";
        var portStart = host.StartsWith('[') ? host.IndexOf(']', StringComparison.Ordinal) + 1 : host.LastIndexOf(':');
        if (host.StartsWith('[') && portStart == 0)
        {
            error = "missing ']' in host";
            return false;
        }
        if (portStart >= 0 && portStart < host.Length)
        {
            if (host[portStart] != ':' || !host[(portStart + 1)..].All(char.IsAsciiDigit))
            {
                error = $"invalid port \"{host[portStart..]}\" after host";
                return false;
            }
        }
        if (host.Any(c => c is ' ' or '<' or '>' or '"' or '{' or '}' or '|' or '\\' or '^' or '`'))
        {
            error = "invalid character in host name";
            return false;
        }
        return true;
    }

    private static bool ValidEscapes(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '%' && (i + 2 >= s.Length || !char.IsAsciiHexDigit(s[i + 1]) || !char.IsAsciiHexDigit(s[i + 2])))
            {
                return false;
            }
        }
        return true;
    }

    // Go's EscapedPath keeps the path as written when it is validly escaped, and percent-encodes it otherwise.
    private static string EscapePath(string path)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(path))
        {
            var c = (char)b;
            if (b < 0x80 && (char.IsAsciiLetterOrDigit(c) || "-._~!$&'()*+,;=:@/%".Contains(c, StringComparison.Ordinal)))
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return sb.ToString();
    }

    public bool Equals(CelUrl? other) => other is not null && string.Equals(Text, other.Text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as CelUrl);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

    public override string ToString() => Text;
}
