using System.Text.RegularExpressions;
using Gantry.Core.Validation;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// apimachinery's <c>IsDomainPrefixedPath</c>: <c>acme.io/foo</c>, a DNS subdomain, a slash and an HTTP path (RFC 3986's
/// characters), as an IngressClass names its controller.
/// </summary>
public static partial class DomainPrefixedPathValidation
{
    private const string HttpPathFormat = @"[A-Za-z0-9/\-._~%!$&'()*+,;=:]+";

    public static IReadOnlyList<FieldError> Validate(FieldPath path, string value)
    {
        if (value.Length == 0)
        {
            return [FieldErrors.Required(path)];
        }

        var segments = value.Split('/', 2);
        if (segments.Length != 2 || segments[0].Length == 0 || segments[1].Length == 0)
        {
            return [FieldErrors.Invalid(path, value, "must be a domain-prefixed path (such as \"acme.io/foo\")")];
        }

        var (host, httpPath) = (segments[0], segments[1]);
        var errors = FormatValidation.IsDns1123Subdomain(host).Select(m => FieldErrors.Invalid(path, host, m)).ToList();
        if (!HttpPathRegex().IsMatch(httpPath))
        {
            errors.Add(FieldErrors.Invalid(path, httpPath, FormatValidation.RegexError("Invalid path", HttpPathFormat)));
        }

        return errors;
    }

    [GeneratedRegex(@"^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex HttpPathRegex();
}
