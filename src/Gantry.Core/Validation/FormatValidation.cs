using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Gantry.Core.Validation;

/// <summary>
/// The value-format checks of <c>k8s.io/apimachinery/pkg/util/validation</c>, with its messages word for
/// word. Each check returns the list of problems (empty when the value is valid), ready to become the
/// detail of a <see cref="FieldError"/>. Lengths are counted in UTF-8 bytes, as Go's <c>len</c> does.
/// </summary>
public static partial class FormatValidation
{
    public const int Dns1123LabelMaxLength = 63;
    public const int Dns1123SubdomainMaxLength = 253;
    public const int Dns1035LabelMaxLength = 63;
    public const int QualifiedNameMaxLength = 63;
    public const int LabelValueMaxLength = 63;

    public const string FieldImmutable = "field is immutable";
    public const string IsNegative = "must be greater than or equal to 0";

    private const string Dns1123LabelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private const string Dns1123LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";

    private const string Dns1123SubdomainFormat = Dns1123LabelFormat + "(\\." + Dns1123LabelFormat + ")*";
    private const string Dns1123SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

    private const string WildcardDns1123SubdomainFormat = "\\*\\." + Dns1123SubdomainFormat;
    private const string WildcardDns1123SubdomainMessage =
        "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character";

    private const string Dns1035LabelFormat = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private const string Dns1035LabelMessage =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";

    private const string QualifiedNameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private const string QualifiedNameMessage =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

    private const string LabelValueFormat = "(" + QualifiedNameFormat + ")?";
    private const string LabelValueMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

    private const string ConfigMapKeyFormat = "[-._a-zA-Z0-9]+";
    private const string ConfigMapKeyMessage = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";

    private const string PercentFormat = "[0-9]+%";
    private const string PercentMessage = "a valid percent string must be a numeric string followed by an ending '%'";

    /// <summary>A DNS label (RFC 1123): container names, namespace names, port names of services.</summary>
    public static IReadOnlyList<string> IsDns1123Label(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var errors = new List<string>();
        if (ByteLength(value) > Dns1123LabelMaxLength)
        {
            errors.Add(MaxLenError(Dns1123LabelMaxLength));
        }

        if (!Dns1123LabelRegex().IsMatch(value))
        {
            // A valid subdomain that is not a valid label can only be failing because of its dots.
            errors.Add(Dns1123SubdomainRegex().IsMatch(value)
                ? "must not contain dots"
                : RegexError(Dns1123LabelMessage, Dns1123LabelFormat, "my-name", "123-abc"));
        }

        return errors;
    }

    private static readonly string[] PathSegmentMayNotContain = ["/", "%"];

    /// <summary>
    /// apimachinery's <c>IsValidPathSegmentName</c>: any name that can be one segment of a URL path. RBAC names its
    /// roles and bindings this way (<c>system:discovery</c>).
    /// </summary>
    public static IReadOnlyList<string> IsValidPathSegmentName(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value is "." or "..")
        {
            return [$"may not be '{value}'"];
        }

        return PathSegmentMayNotContain.Where(c => value.Contains(c, StringComparison.Ordinal)).Select(c => $"may not contain '{c}'").ToList();
    }

    /// <summary>A DNS subdomain (RFC 1123): the name rule of most objects.</summary>
    public static IReadOnlyList<string> IsDns1123Subdomain(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var errors = new List<string>();
        if (ByteLength(value) > Dns1123SubdomainMaxLength)
        {
            errors.Add(MaxLenError(Dns1123SubdomainMaxLength));
        }

        if (!Dns1123SubdomainRegex().IsMatch(value))
        {
            errors.Add(RegexError(Dns1123SubdomainMessage, Dns1123SubdomainFormat, "example.com"));
        }

        return errors;
    }

    /// <summary>A DNS subdomain behind <c>*.</c>: the wildcard hosts of ingress rules and TLS.</summary>
    public static IReadOnlyList<string> IsWildcardDns1123Subdomain(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var errors = new List<string>();
        if (ByteLength(value) > Dns1123SubdomainMaxLength)
        {
            errors.Add(MaxLenError(Dns1123SubdomainMaxLength));
        }

        if (!value.StartsWith("*.", StringComparison.Ordinal) || !Dns1123SubdomainRegex().IsMatch(value[2..]))
        {
            errors.Add(RegexError(WildcardDns1123SubdomainMessage, WildcardDns1123SubdomainFormat, "*.example.com"));
        }

        return errors;
    }

    /// <summary>A DNS label (RFC 1035), which must start with a letter: the name rule of services.</summary>
    public static IReadOnlyList<string> IsDns1035Label(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var errors = new List<string>();
        if (ByteLength(value) > Dns1035LabelMaxLength)
        {
            errors.Add(MaxLenError(Dns1035LabelMaxLength));
        }

        if (!Dns1035LabelRegex().IsMatch(value))
        {
            errors.Add(RegexError(Dns1035LabelMessage, Dns1035LabelFormat, "my-name", "abc-123"));
        }

        return errors;
    }

    /// <summary>A "qualified name": label keys, annotation keys, finalizers — an optional DNS-subdomain prefix and '/', then a name.</summary>
    public static IReadOnlyList<string> IsQualifiedName(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var errors = new List<string>();
        var parts = value.Split('/');
        string name;
        switch (parts.Length)
        {
            case 1:
                name = parts[0];
                break;
            case 2:
                var prefix = parts[0];
                name = parts[1];
                if (prefix.Length == 0)
                {
                    errors.Add("prefix part " + EmptyError());
                }
                else
                {
                    errors.AddRange(IsDns1123Subdomain(prefix).Select(m => "prefix part " + m));
                }

                break;
            default:
                errors.Add("a qualified name " + RegexError(QualifiedNameMessage, QualifiedNameFormat, "MyName", "my.name", "123-abc") +
                    " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
                return errors;
        }

        if (name.Length == 0)
        {
            errors.Add("name part " + EmptyError());
        }
        else if (ByteLength(name) > QualifiedNameMaxLength)
        {
            errors.Add("name part " + MaxLenError(QualifiedNameMaxLength));
        }

        if (!QualifiedNameRegex().IsMatch(name))
        {
            errors.Add("name part " + RegexError(QualifiedNameMessage, QualifiedNameFormat, "MyName", "my.name", "123-abc"));
        }

        return errors;
    }

    /// <summary>A label value: empty, or at most 63 characters of a qualified-name shape.</summary>
    public static IReadOnlyList<string> IsValidLabelValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var errors = new List<string>();
        if (ByteLength(value) > LabelValueMaxLength)
        {
            errors.Add(MaxLenError(LabelValueMaxLength));
        }

        if (!LabelValueRegex().IsMatch(value))
        {
            errors.Add(RegexError(LabelValueMessage, LabelValueFormat, "MyValue", "my_value", "12345"));
        }

        return errors;
    }

    /// <summary>A key of a ConfigMap's or Secret's data.</summary>
    public static IReadOnlyList<string> IsConfigMapKey(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var errors = new List<string>();
        if (ByteLength(value) > Dns1123SubdomainMaxLength)
        {
            errors.Add(MaxLenError(Dns1123SubdomainMaxLength));
        }

        if (!ConfigMapKeyRegex().IsMatch(value))
        {
            errors.Add(RegexError(ConfigMapKeyMessage, ConfigMapKeyFormat, "key.name", "KEY_NAME", "key-name"));
        }

        errors.AddRange(ChangeDirectoryPrefixErrors(value));
        return errors;
    }

    /// <summary>
    /// An environment variable name under the relaxed rule Kubernetes applies since 1.32
    /// (RelaxedEnvironmentVariableValidation): printable ASCII other than '='.
    /// </summary>
    public static IReadOnlyList<string> IsEnvVarName(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var errors = new List<string>();
        if (value.Length == 0)
        {
            errors.Add("environment variable name " + EmptyError());
        }

        if (value.Any(c => c is < ' ' or > '~' or '='))
        {
            errors.Add("a valid environment variable name must consist only of printable ASCII characters other than '='");
        }

        return errors;
    }

    /// <summary>An IANA_SVC_NAME: a named container or service port.</summary>
    public static IReadOnlyList<string> IsValidPortName(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var errors = new List<string>();
        if (ByteLength(value) > 15)
        {
            errors.Add(MaxLenError(15));
        }

        if (value.Length == 0 || !value.All(c => c is '-' or (>= 'a' and <= 'z') or (>= '0' and <= '9')))
        {
            errors.Add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }

        if (!value.Any(c => c is >= 'a' and <= 'z'))
        {
            errors.Add("must contain at least one letter (a-z)");
        }

        if (value.Contains("--", StringComparison.Ordinal))
        {
            errors.Add("must not contain consecutive hyphens");
        }

        if (value.Length > 0 && (value[0] == '-' || value[^1] == '-'))
        {
            errors.Add("must not begin or end with a hyphen");
        }

        return errors;
    }

    /// <summary>A non-zero TCP/UDP port number.</summary>
    public static IReadOnlyList<string> IsValidPortNum(int port) =>
        port is >= 1 and <= 65535 ? [] : [InclusiveRangeError(1, 65535)];

    /// <summary>A percentage such as <c>25%</c> (rolling update surge and unavailability).</summary>
    public static IReadOnlyList<string> IsValidPercent(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return PercentRegex().IsMatch(value) ? [] : [RegexError(PercentMessage, PercentFormat, "1%", "93%")];
    }

    /// <summary>An IPv4 or IPv6 address in canonical form, as the strict apimachinery check wants it.</summary>
    public static IReadOnlyList<string> IsValidIP(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!IPAddress.TryParse(value, out var address) || value.Contains('%', StringComparison.Ordinal) ||
            (address.AddressFamily == AddressFamily.InterNetwork && value.Count(c => c == '.') != 3))
        {
            return ["must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"];
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return ["must not be an IPv4-mapped IPv6 address"];
        }

        var canonical = address.ToString();
        return value == canonical ? [] : [$"must be in canonical form ({GoValue.Quote(canonical)})"];
    }

    /// <summary>
    /// Whether Go's <c>netutils.ParseIPSloppy</c> reads <paramref name="value"/> as an IP: four dotted decimal octets
    /// (leading zeros allowed) or an IPv6 address without a zone. .NET's parser also takes <c>10.1</c> or <c>0x7f.1</c>,
    /// which kube takes for DNS names.
    /// </summary>
    public static bool IsSloppyIp(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Contains(':', StringComparison.Ordinal))
        {
            return !value.Contains('%', StringComparison.Ordinal) && !value.Contains('[', StringComparison.Ordinal)
                && IPAddress.TryParse(value, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6;
        }

        var octets = value.Split('.');
        return octets.Length == 4 && octets.All(IsSloppyOctet);
    }

    /// <summary>Decimal digits worth at most 255, with any number of leading zeros, as Go's sloppy parser reads an octet.</summary>
    private static bool IsSloppyOctet(string octet)
    {
        var digits = octet.TrimStart('0');
        return octet.Length > 0 && octet.All(char.IsAsciiDigit) && digits.Length <= 3
            && (digits.Length == 0 || int.Parse(digits, CultureInfo.InvariantCulture) <= 255);
    }

    public static string MaxLenError(int length) => $"must be no more than {length} characters";

    public static string EmptyError() => "must be non-empty";

    public static string InclusiveRangeError(long low, long high) => $"must be between {low} and {high}, inclusive";

    /// <summary>apimachinery's <c>RegexError</c>, including its doubled space before each <c>or</c>.</summary>
    public static string RegexError(string message, string format, params string[] examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Length == 0)
        {
            return $"{message} (regex used for validation is '{format}')";
        }

        var builder = new StringBuilder(message).Append(" (e.g. ");
        for (var i = 0; i < examples.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(" or ");
            }

            builder.Append('\'').Append(examples[i]).Append("', ");
        }

        return builder.Append("regex used for validation is '").Append(format).Append("')").ToString();
    }

    private static IEnumerable<string> ChangeDirectoryPrefixErrors(string value)
    {
        if (value == ".")
        {
            yield return "must not be '.'";
        }
        else if (value == "..")
        {
            yield return "must not be '..'";
        }
        else if (value.StartsWith("..", StringComparison.Ordinal))
        {
            yield return "must not start with '..'";
        }
    }

    private static int ByteLength(string value) => Encoding.UTF8.GetByteCount(value);

    // Go's regexp '$' matches only at the very end, so these anchor with \z rather than '$'.
    [GeneratedRegex(@"^(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\z", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123LabelRegex();

    [GeneratedRegex(@"^(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*)\z", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123SubdomainRegex();

    [GeneratedRegex(@"^(?:[a-z](?:[-a-z0-9]*[a-z0-9])?)\z", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1035LabelRegex();

    [GeneratedRegex(@"^(?:(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])\z", RegexOptions.CultureInvariant)]
    private static partial Regex QualifiedNameRegex();

    [GeneratedRegex(@"^(?:(?:(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?)\z", RegexOptions.CultureInvariant)]
    private static partial Regex LabelValueRegex();

    [GeneratedRegex(@"^[-._a-zA-Z0-9]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex ConfigMapKeyRegex();

    [GeneratedRegex(@"^[0-9]+%\z", RegexOptions.CultureInvariant)]
    private static partial Regex PercentRegex();
}
