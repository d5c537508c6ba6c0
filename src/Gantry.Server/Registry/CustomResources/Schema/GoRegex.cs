using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Gantry.Server.Registry.CustomResources.Schema;

/// <summary>
/// A schema <c>pattern</c>, which kube-openapi compiles with Go's <c>regexp</c> (RE2) and matches unanchored, as a .NET
/// regex with the same meaning for the syntax CRDs use. Translated: <c>\d \w \s</c> (ASCII-only in Go), <c>$</c> (end
/// of text only, unless <c>(?m)</c>), <c>(?P&lt;name&gt;</c>, <c>\pL</c>, <c>\Q…\E</c>, <c>\x{…}</c>, POSIX classes
/// (<c>[[:alpha:]]</c>) and <c>[</c> inside a class (a literal in Go, class subtraction in .NET). The regex runs with
/// <see cref="RegexOptions.NonBacktracking"/>, linear like RE2, which refuses what RE2 refuses (lookarounds,
/// backreferences). Not translated: <c>\b</c>, <c>\D \W \S</c> inside classes and <c>.</c> keep .NET's Unicode and
/// UTF-16 meaning; <c>(?U)</c> does not compile.
/// </summary>
internal static partial class GoRegex
{
    private static readonly Dictionary<string, string> PosixClasses = new(StringComparer.Ordinal)
    {
        ["alnum"] = "0-9A-Za-z",
        ["alpha"] = "A-Za-z",
        ["ascii"] = "\\x00-\\x7F",
        ["blank"] = "\\t ",
        ["cntrl"] = "\\x00-\\x1F\\x7F",
        ["digit"] = "0-9",
        ["graph"] = "!-~",
        ["lower"] = "a-z",
        ["print"] = " -~",
        ["punct"] = "!-/:-@\\[-`{-~",
        ["space"] = "\\t\\n\\v\\f\\r ",
        ["upper"] = "A-Z",
        ["word"] = "0-9A-Za-z_",
        ["xdigit"] = "0-9A-Fa-f",
    };

    /// <summary>The compiled pattern, or null with <paramref name="error"/> saying why, as Go would not compile it either.</summary>
    public static Regex? TryCompile(string pattern, out string? error)
    {
        try
        {
            var translated = Translate(pattern);
            error = null;
            return new Regex(translated, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or FormatException)
        {
            error = "error parsing regexp: " + (ex is FormatException ? ex.Message : $"invalid or unsupported Perl syntax: `{pattern}`");
            return null;
        }
    }

    private static string Translate(string pattern)
    {
        var multiline = MultilineFlag().IsMatch(pattern);
        var output = new StringBuilder(pattern.Length + 16);
        var inClass = false;
        var classStart = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                i = Escape(pattern, i, inClass, output);
                continue;
            }

            if (inClass)
            {
                if (c == '[' && i + 1 < pattern.Length && pattern[i + 1] == ':' && pattern.IndexOf(":]", i + 2, StringComparison.Ordinal) is var end and > 0
                    && PosixClasses.TryGetValue(pattern[(i + 2)..end], out var posix))
                {
                    output.Append(posix);
                    i = end + 1;
                }
                else if (c == '[')
                {
                    output.Append("\\[");
                }
                else if (c == ']' && i > classStart)
                {
                    inClass = false;
                    output.Append(c);
                }
                else
                {
                    output.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '[':
                    inClass = true;
                    output.Append(c);
                    classStart = i + 1;
                    if (classStart < pattern.Length && pattern[classStart] == '^')
                    {
                        output.Append('^');
                        classStart++;
                        i++;
                    }

                    break;
                case '$':
                    output.Append(multiline ? "$" : "\\z");
                    break;
                case '(' when string.CompareOrdinal(pattern, i, "(?P<", 0, 4) == 0:
                    output.Append("(?<");
                    i += 3;
                    break;
                default:
                    output.Append(c);
                    break;
            }
        }

        return output.ToString();
    }

    /// <summary>Translates the escape at <paramref name="at"/>; returns the index of its last character.</summary>
    private static int Escape(string pattern, int at, bool inClass, StringBuilder output)
    {
        var c = pattern[at + 1];
        switch (c)
        {
            case 'd':
                output.Append(inClass ? "0-9" : "[0-9]");
                return at + 1;
            case 'w':
                output.Append(inClass ? "0-9A-Za-z_" : "[0-9A-Za-z_]");
                return at + 1;
            case 's':
                output.Append(inClass ? "\\t\\n\\f\\r " : "[\\t\\n\\f\\r ]");
                return at + 1;
            case 'D' when !inClass:
                output.Append("[^0-9]");
                return at + 1;
            case 'W' when !inClass:
                output.Append("[^0-9A-Za-z_]");
                return at + 1;
            case 'S' when !inClass:
                output.Append("[^\\t\\n\\f\\r ]");
                return at + 1;
            case 'p' or 'P' when at + 2 < pattern.Length && pattern[at + 2] != '{':
                output.Append('\\').Append(c).Append('{').Append(pattern[at + 2]).Append('}');
                return at + 2;
            case 'Q':
                var end = pattern.IndexOf("\\E", at + 2, StringComparison.Ordinal);
                var literal = end < 0 ? pattern[(at + 2)..] : pattern[(at + 2)..end];
                output.Append(inClass ? EscapeInClass(literal) : Regex.Escape(literal));
                return end < 0 ? pattern.Length - 1 : end + 1;
            case 'x' when at + 2 < pattern.Length && pattern[at + 2] == '{':
                var close = pattern.IndexOf('}', at + 3);
                if (close < 0 || !int.TryParse(pattern.AsSpan(at + 3, close - at - 3), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code)
                    || code > 0x10FFFF)
                {
                    throw new FormatException($"invalid escape sequence: `{pattern[at..Math.Min(pattern.Length, at + 3)]}`");
                }

                var text = char.ConvertFromUtf32(code);
                output.Append(inClass ? EscapeInClass(text) : Regex.Escape(text));
                return close;
            case >= '1' and <= '9':
                throw new FormatException($"invalid escape sequence: `\\{c}`");
            default:
                output.Append('\\').Append(c);
                return at + 1;
        }
    }

    private static string EscapeInClass(string literal)
    {
        var builder = new StringBuilder();
        foreach (var ch in literal)
        {
            if (ch is '\\' or ']' or '[' or '^' or '-')
            {
                builder.Append('\\');
            }

            builder.Append(ch);
        }

        return builder.ToString();
    }

    [GeneratedRegex(@"\(\?[a-zA-Z]*m[a-zA-Z]*[):]")]
    private static partial Regex MultilineFlag();
}
