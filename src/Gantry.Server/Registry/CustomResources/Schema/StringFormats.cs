using System.Globalization;
using System.Net.Mail;
using System.Text.RegularExpressions;
using Gantry.Core.Validation;

namespace Gantry.Server.Registry.CustomResources.Schema;

/// <summary>
/// The string formats apiextensions lets a CRD schema check (validation/formats.go, as of 1.34) and kube-openapi's
/// checks for them (<c>pkg/validation/strfmt</c>). Names are compared with dashes removed, as go-openapi does
/// (<c>date-time</c> is <c>datetime</c>). <c>email</c> and <c>uri</c> approximate Go's <c>net/mail</c> and
/// <c>net/url.ParseRequestURI</c>.
/// </summary>
internal static partial class StringFormats
{
    private static readonly Dictionary<string, Func<string, bool>> Checks = new(StringComparer.Ordinal)
    {
        ["bsonobjectid"] = s => s.Length == 24 && s.All(char.IsAsciiHexDigit),
        ["uri"] = IsRequestUri,
        ["email"] = IsEmail,
        ["hostname"] = IsHostname,
        ["ipv4"] = s => FormatValidation.IsSloppyIp(s) && s.Contains('.', StringComparison.Ordinal),
        ["ipv6"] = s => s.Contains(':', StringComparison.Ordinal) && FormatValidation.IsSloppyIp(s) && !HasLeadingZeroOctet(s),
        ["cidr"] = IsCidr,
        ["mac"] = IsMac,
        ["uuid"] = s => Uuid().IsMatch(s),
        ["uuid3"] = s => Uuid3().IsMatch(s),
        ["uuid4"] = s => Uuid4().IsMatch(s),
        ["uuid5"] = s => Uuid5().IsMatch(s),
        ["isbn"] = s => IsIsbn(s, 10) || IsIsbn(s, 13),
        ["isbn10"] = s => IsIsbn(s, 10),
        ["isbn13"] = s => IsIsbn(s, 13),
        ["creditcard"] = IsCreditCard,
        ["ssn"] = s => s.Length == 11 && Ssn().IsMatch(s),
        ["hexcolor"] = s => HexColor().IsMatch(s),
        ["rgbcolor"] = s => RgbColor().IsMatch(s),
        ["byte"] = s => Base64().IsMatch(s),
        ["password"] = _ => true,
        ["date"] = IsDate,
        ["duration"] = IsDuration,
        ["datetime"] = IsDateTime,
        ["k8sshortname"] = s => FormatValidation.IsDns1123Label(s).Count == 0,
        ["k8slongname"] = s => FormatValidation.IsDns1123Subdomain(s).Count == 0,
    };

    public static bool IsSupported(string format) => Checks.ContainsKey(Normalize(format));

    /// <summary>Whether <paramref name="value"/> is valid for <paramref name="format"/>; true for a format kube does not know.</summary>
    public static bool IsValid(string format, string value) => !Checks.TryGetValue(Normalize(format), out var check) || check(value);

    private static string Normalize(string format) => format.Replace("-", "", StringComparison.Ordinal);

    /// <summary>time.Parse("2006-01-02"): a real calendar day.</summary>
    private static bool IsDate(string s) =>
        s.Length == 10 && DateTime.TryParseExact(s, "yyyy'-'MM'-'dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    /// <summary>strfmt.IsDateTime: a date, a <c>t</c> (any case) and a time matching its DateTimePattern.</summary>
    private static bool IsDateTime(string s)
    {
        if (s.Length < 4)
        {
            return false;
        }

        var parts = s.ToLowerInvariant().Split('t');
        if (parts.Length < 2 || !IsDate(parts[0]))
        {
            return false;
        }

        var match = DateTimeTime().Match(parts[1]);
        return match.Success
            && string.CompareOrdinal(match.Groups[1].Value, "23") <= 0
            && string.CompareOrdinal(match.Groups[2].Value, "59") <= 0
            && string.CompareOrdinal(match.Groups[3].Value, "59") <= 0;
    }

    /// <summary>strfmt.ParseDuration: Go's time.ParseDuration, or any "&lt;n&gt; &lt;unit&gt;" it recognizes (<c>3 days</c>).</summary>
    private static bool IsDuration(string s)
    {
        if (GoDuration().IsMatch(s))
        {
            return true;
        }

        string[][] units = [["ns", "nano"], ["us", "µs", "micro"], ["ms", "milli"], ["s", "sec"], ["m", "min"], ["h", "hr", "hour"], ["d", "day"], ["w", "wk", "week"]];
        foreach (Match match in LooseDuration().Matches(s))
        {
            if (!int.TryParse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                return false;
            }

            var unit = match.Groups[3].Value.Trim().ToLowerInvariant();
            if (units.Any(v => v.Select((variant, i) => (i == v.Length - 1 && unit.StartsWith(variant, StringComparison.Ordinal))
                || string.Equals(variant, unit, StringComparison.OrdinalIgnoreCase)).Any(ok => ok)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsHostname(string s) =>
        Hostname().IsMatch(s) && System.Text.Encoding.UTF8.GetByteCount(s) <= 255 && s.Split('.').All(p => System.Text.Encoding.UTF8.GetByteCount(p) <= 63);

    private static bool IsEmail(string s) => MailAddress.TryCreate(s, out var address) && address.Address.Length > 0;

    /// <summary>net/url.ParseRequestURI: an absolute path, or a scheme followed by <c>/</c> (with a sane host and port).</summary>
    private static bool IsRequestUri(string s)
    {
        if (s.Length == 0 || s.Any(c => c < 0x20 || c == 0x7f))
        {
            return false;
        }

        if (s[0] == '/')
        {
            return true;
        }

        var colon = s.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !char.IsAsciiLetter(s[0]) || !s[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
        {
            return false;
        }

        var rest = s[(colon + 1)..];
        var query = rest.IndexOfAny(['?', '#']);
        if (query >= 0)
        {
            rest = rest[..query];
        }

        if (!rest.StartsWith('/'))
        {
            return false;
        }

        if (!rest.StartsWith("//", StringComparison.Ordinal))
        {
            return true;
        }

        var authority = rest[2..];
        var slash = authority.IndexOf('/', StringComparison.Ordinal);
        authority = slash < 0 ? authority : authority[..slash];
        var host = authority[(authority.LastIndexOf('@') + 1)..];
        var port = host.StartsWith('[') ? host[(host.IndexOf(']', StringComparison.Ordinal) + 1)..] : host[Math.Max(0, host.LastIndexOf(':'))..];
        if (port.StartsWith(':') && !port[1..].All(char.IsAsciiDigit))
        {
            return false;
        }

        return !host.Any(c => c is ' ' or '<' or '>' or '"' or '{' or '}' or '|' or '\\' or '^' or '`');
    }

    private static bool IsCidr(string s)
    {
        var slash = s.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !FormatValidation.IsSloppyIp(s[..slash]))
        {
            return false;
        }

        var bits = s.Contains(':', StringComparison.Ordinal) ? 128 : 32;
        var prefix = s[(slash + 1)..];
        return prefix.Length is > 0 and <= 3 && prefix.All(char.IsAsciiDigit)
            && int.Parse(prefix, CultureInfo.InvariantCulture) <= bits;
    }

    /// <summary>Go's net.ParseIP (behind ipv6) refuses IPv4 parts with leading zeros, which the sloppy parser takes.</summary>
    private static bool HasLeadingZeroOctet(string s)
    {
        var v4 = s[(s.LastIndexOf(':') + 1)..];
        return v4.Contains('.', StringComparison.Ordinal) && v4.Split('.').Any(o => o.Length > 1 && o[0] == '0');
    }

    /// <summary>net.ParseMAC: 6, 8 or 20 octets as <c>xx:xx…</c>, <c>xx-xx…</c> or <c>xxxx.xxxx…</c>.</summary>
    private static bool IsMac(string s)
    {
        if (s.Length < 14)
        {
            return false;
        }

        if (s[2] is ':' or '-')
        {
            var separator = s[2];
            if ((s.Length + 1) % 3 != 0)
            {
                return false;
            }

            var octets = (s.Length + 1) / 3;
            return octets is 6 or 8 or 20 && Enumerable.Range(0, octets).All(i =>
                char.IsAsciiHexDigit(s[i * 3]) && char.IsAsciiHexDigit(s[(i * 3) + 1]) && (i == octets - 1 || s[(i * 3) + 2] == separator));
        }

        if (s[4] == '.')
        {
            if ((s.Length + 1) % 5 != 0)
            {
                return false;
            }

            var groups = (s.Length + 1) / 5;
            return (groups * 2) is 6 or 8 or 20 && Enumerable.Range(0, groups).All(i =>
                s.Substring(i * 5, 4).All(char.IsAsciiHexDigit) && (i == groups - 1 || s[(i * 5) + 4] == '.'));
        }

        return false;
    }

    private static bool IsIsbn(string s, int version)
    {
        var sanitized = IsbnSeparators().Replace(s, "");
        if (version == 10)
        {
            if (!Isbn10().IsMatch(sanitized))
            {
                return false;
            }

            var sum = 0;
            for (var i = 0; i < 9; i++)
            {
                sum += (i + 1) * (sanitized[i] - '0');
            }

            sum += sanitized[9] == 'X' ? 100 : 10 * (sanitized[9] - '0');
            return sum % 11 == 0;
        }

        if (!Isbn13().IsMatch(sanitized))
        {
            return false;
        }

        var checksum = 0;
        for (var i = 0; i < 12; i++)
        {
            checksum += (i % 2 == 0 ? 1 : 3) * (sanitized[i] - '0');
        }

        return sanitized[12] - '0' - ((10 - (checksum % 10)) % 10) == 0;
    }

    private static bool IsCreditCard(string s)
    {
        var digits = new string(s.Where(char.IsAsciiDigit).ToArray());
        if (!CreditCard().IsMatch(digits))
        {
            return false;
        }

        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var digit = digits[i] - '0';
            if (doubleIt)
            {
                digit *= 2;
                sum += digit >= 10 ? (digit % 10) + 1 : digit;
            }
            else
            {
                sum += digit;
            }

            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }

    [GeneratedRegex(@"^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z\p{L}]){2,63})\z")]
    private static partial Regex Hostname();

    [GeneratedRegex(@"^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\z", RegexOptions.IgnoreCase)]
    private static partial Regex Uuid();

    [GeneratedRegex(@"^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}\z", RegexOptions.IgnoreCase)]
    private static partial Regex Uuid3();

    [GeneratedRegex(@"^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}\z", RegexOptions.IgnoreCase)]
    private static partial Regex Uuid4();

    [GeneratedRegex(@"^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}\z", RegexOptions.IgnoreCase)]
    private static partial Regex Uuid5();

    [GeneratedRegex(@"^[0-9]{3}[- ]?[0-9]{2}[- ]?[0-9]{4}\z")]
    private static partial Regex Ssn();

    [GeneratedRegex(@"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})\z")]
    private static partial Regex HexColor();

    [GeneratedRegex(@"^rgb\(\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*,\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*,\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*\)\z", RegexOptions.ECMAScript)]
    private static partial Regex RgbColor();

    [GeneratedRegex(@"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})\z")]
    private static partial Regex Base64();

    [GeneratedRegex(@"^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))\z")]
    private static partial Regex DateTimeTime();

    [GeneratedRegex(@"^[-+]?(0|(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)\z")]
    private static partial Regex GoDuration();

    [GeneratedRegex(@"(([0-9]+)[\t\n\v\f\r ]*([A-Za-zµ]+))")]
    private static partial Regex LooseDuration();

    [GeneratedRegex(@"[\s-]+")]
    private static partial Regex IsbnSeparators();

    [GeneratedRegex(@"^(?:[0-9]{9}X|[0-9]{10})\z")]
    private static partial Regex Isbn10();

    [GeneratedRegex(@"^(?:[0-9]{13})\z")]
    private static partial Regex Isbn13();

    [GeneratedRegex(@"^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35[0-9]{3})[0-9]{11})\z")]
    private static partial Regex CreditCard();
}
