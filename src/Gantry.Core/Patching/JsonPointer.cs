using System.Globalization;

namespace Gantry.Core.Patching;

/// <summary>JSON Pointer (RFC 6901) parsing, as JSON Patch paths use it.</summary>
internal static class JsonPointer
{
    /// <summary>The unescaped reference tokens of <paramref name="pointer"/>; empty for the whole document.</summary>
    public static string[] Parse(string pointer)
    {
        if (pointer.Length == 0)
        {
            return [];
        }

        if (pointer[0] != '/')
        {
            throw new PatchException($"invalid JSON pointer \"{pointer}\": must be empty or start with '/'");
        }

        return pointer[1..].Split('/').Select(token => Unescape(token, pointer)).ToArray();
    }

    /// <summary>
    /// The array index <paramref name="token"/> names: digits only, no leading zero, as RFC 6901
    /// section 4 requires; <c>-1</c> when it is not one.
    /// </summary>
    public static int ParseIndex(string token)
    {
        if (token.Length == 0 || (token.Length > 1 && token[0] == '0') || !token.All(char.IsAsciiDigit))
        {
            return -1;
        }

        return int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : -1;
    }

    private static string Unescape(string token, string pointer)
    {
        if (!token.Contains('~', StringComparison.Ordinal))
        {
            return token;
        }

        var builder = new System.Text.StringBuilder(token.Length);
        for (var i = 0; i < token.Length; i++)
        {
            if (token[i] != '~')
            {
                builder.Append(token[i]);
                continue;
            }

            // Order matters (RFC 6901 section 4): "~01" is the literal "~1", never "/".
            var next = i + 1 < token.Length ? token[i + 1] : '\0';
            builder.Append(next switch
            {
                '0' => '~',
                '1' => '/',
                _ => throw new PatchException($"invalid JSON pointer \"{pointer}\": '~' must be followed by '0' or '1'"),
            });
            i++;
        }

        return builder.ToString();
    }
}
