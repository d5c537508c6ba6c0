using System.Globalization;
using System.Text;

namespace Gantry.Core.Cel;

/// <summary>
/// Rewrites an RE2 pattern (what CEL's <c>matches</c> takes) into an equivalent .NET pattern, and rejects what RE2
/// rejects (backreferences, lookaround, atomic groups) rather than silently accepting it. ASCII classes stay ASCII
/// (<c>\d</c> is <c>[0-9]</c> in RE2, any Unicode digit in .NET) and <c>$</c> means end of text unless <c>(?m)</c> is set.
/// </summary>
internal static class Re2Translator
{
    private static readonly Dictionary<string, string> Posix = new(StringComparer.Ordinal)
    {
        ["alnum"] = "0-9A-Za-z", ["alpha"] = "A-Za-z", ["ascii"] = "\\x00-\\x7F", ["blank"] = "\\t ",
        ["cntrl"] = "\\x00-\\x1F\\x7F", ["digit"] = "0-9", ["graph"] = "!-~", ["lower"] = "a-z", ["print"] = " -~",
        ["punct"] = "!-/:-@\\[-`{-~", ["space"] = "\\t\\n\\v\\f\\r ", ["upper"] = "A-Z", ["word"] = "0-9A-Za-z_",
        ["xdigit"] = "0-9A-Fa-f",
    };

    public static string Translate(string pattern)
    {
        var multiline = pattern.Contains("(?", StringComparison.Ordinal) && HasMultilineFlag(pattern);
        var sb = new StringBuilder();
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                i = Escape(pattern, i, inClass, sb);
                continue;
            }
            if (inClass)
            {
                if (c == ']')
                {
                    inClass = false;
                    sb.Append(']');
                }
                else if (c == '[' && i + 1 < pattern.Length && pattern[i + 1] == ':')
                {
                    var end = pattern.IndexOf(":]", i + 2, StringComparison.Ordinal);
                    var name = end < 0 ? "" : pattern[(i + 2)..end];
                    var negated = name.StartsWith('^');
                    if (end < 0 || negated || !Posix.TryGetValue(name, out var range))
                    {
                        throw Unsupported(pattern, "character class");
                    }
                    sb.Append(range);
                    i = end + 1;
                }
                else
                {
                    sb.Append(c == '[' ? "\\[" : c.ToString());
                }
                continue;
            }
            switch (c)
            {
                case '[':
                    inClass = true;
                    sb.Append('[');
                    if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                    {
                        sb.Append('^');
                        i++;
                    }
                    if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                    {
                        sb.Append("\\]");
                        i++;
                    }
                    break;
                case '(' when i + 1 < pattern.Length && pattern[i + 1] == '?':
                    i = Group(pattern, i, sb);
                    break;
                case '$' when !multiline:
                    sb.Append("\\z");
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }

    private static bool HasMultilineFlag(string pattern)
    {
        for (var i = pattern.IndexOf("(?", StringComparison.Ordinal); i >= 0; i = pattern.IndexOf("(?", i + 2, StringComparison.Ordinal))
        {
            var j = i + 2;
            while (j < pattern.Length && (char.IsAsciiLetter(pattern[j]) || pattern[j] == '-'))
            {
                if (pattern[j] == 'm')
                {
                    return true;
                }
                j++;
            }
        }
        return false;
    }

    private static int Group(string pattern, int i, StringBuilder sb)
    {
        var rest = pattern.AsSpan(i + 2);
        if (rest.StartsWith("P<"))
        {
            sb.Append("(?<");
            return i + 3;
        }
        if (rest.StartsWith(":") || rest.StartsWith("<") && !rest.StartsWith("<=") && !rest.StartsWith("<!"))
        {
            sb.Append("(?");
            return i + 1;
        }
        var j = 0;
        while (j < rest.Length && (rest[j] is 'i' or 'm' or 's' or '-'))
        {
            j++;
        }
        if (j > 0 && j < rest.Length && rest[j] is ')' or ':')
        {
            sb.Append("(?");
            return i + 1;
        }
        throw Unsupported(pattern, "group syntax");
    }

    private static int Escape(string pattern, int i, bool inClass, StringBuilder sb)
    {
        if (i + 1 >= pattern.Length)
        {
            throw Unsupported(pattern, "trailing backslash");
        }
        var e = pattern[i + 1];
        switch (e)
        {
            // A class shorthand followed by '-' in a class is no range start in RE2 ([\w-.] is word characters, '-'
            // and '.'): the '-' is written escaped so that .NET does not read a range from the expansion's last member.
            case 'd' or 'w' or 's' when inClass && i + 3 < pattern.Length && pattern[i + 2] == '-' && pattern[i + 3] != ']':
                sb.Append(e switch { 'd' => "0-9", 'w' => "0-9A-Za-z_", _ => "\\t\\n\\f\\r " }).Append("\\-");
                return i + 2;
            case 'd':
                sb.Append(inClass ? "0-9" : "[0-9]");
                break;
            case 'w':
                sb.Append(inClass ? "0-9A-Za-z_" : "[0-9A-Za-z_]");
                break;
            case 's':
                sb.Append(inClass ? "\\t\\n\\f\\r " : "[\\t\\n\\f\\r ]");
                break;
            // Go takes an escaped punctuation character as itself; .NET refuses an escaped '_' (a word character).
            case '_':
                sb.Append('_');
                break;
            case 'D' when !inClass:
                sb.Append("[^0-9]");
                break;
            case 'W' when !inClass:
                sb.Append("[^0-9A-Za-z_]");
                break;
            case 'S' when !inClass:
                sb.Append("[^\\t\\n\\f\\r ]");
                break;
            case >= '1' and <= '9':
            case 'Z' or 'k' or 'g' or 'G':
                throw Unsupported(pattern, $"escape \\{e}");
            case 'Q':
                var end = pattern.IndexOf("\\E", i + 2, StringComparison.Ordinal);
                var literal = end < 0 ? pattern[(i + 2)..] : pattern[(i + 2)..end];
                sb.Append(System.Text.RegularExpressions.Regex.Escape(literal));
                return end < 0 ? pattern.Length : end + 1;
            case 'p' or 'P' when i + 2 < pattern.Length && pattern[i + 2] != '{':
                sb.Append('\\').Append(e).Append('{').Append(pattern[i + 2]).Append('}');
                return i + 2;
            case 'x' when i + 2 < pattern.Length && pattern[i + 2] == '{':
                var close = pattern.IndexOf('}', i + 3);
                if (close < 0 || !int.TryParse(pattern.AsSpan(i + 3, close - i - 3), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var cp) || cp > 0x10FFFF)
                {
                    throw Unsupported(pattern, "\\x{...} escape");
                }
                sb.Append(cp <= 0xFFFF ? $"\\u{cp:X4}" : System.Text.RegularExpressions.Regex.Escape(char.ConvertFromUtf32(cp)));
                return close;
            default:
                sb.Append('\\').Append(e);
                break;
        }
        return i + 1;
    }

    private static CelEvaluationException Unsupported(string pattern, string what) =>
        new($"error parsing regexp: unsupported {what} in `{pattern}`");
}
