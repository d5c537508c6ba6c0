using System.Text;

namespace Gantry.Core.Selectors;

/// <summary>
/// A parsed field selector (<c>metadata.name=web,status.phase!=Failed</c>), as apimachinery's
/// <c>fields.ParseSelector</c> reads it: terms separated by unescaped commas, values unescaped with
/// <c>\\</c>, <c>\,</c> and <c>\=</c>. Which fields a resource supports is the server's decision; it can
/// check them through <see cref="Terms"/>.
/// </summary>
public sealed class FieldSelector
{
    private static readonly string[] TermOperators = ["!=", "==", "="];

    private readonly FieldRequirement[] _terms;

    private FieldSelector(FieldRequirement[] terms) => _terms = terms;

    /// <summary>The selector without terms, which matches every object.</summary>
    public static FieldSelector Empty { get; } = new([]);

    /// <summary>The terms, in the order apimachinery evaluates them (sorted by their text).</summary>
    public IReadOnlyList<FieldRequirement> Terms => _terms;

    public bool IsEmpty => _terms.Length == 0;

    /// <summary>Parses a field selector; null or empty text gives <see cref="Empty"/>.</summary>
    /// <exception cref="SelectorParseException">A term has no operator or a value is badly escaped; the message is the apiserver's.</exception>
    public static FieldSelector Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return Empty;
        }

        var terms = SplitTerms(text);
        terms.Sort(StringComparer.Ordinal);
        var requirements = new List<FieldRequirement>();
        foreach (var term in terms)
        {
            if (term.Length == 0)
            {
                continue;
            }

            if (!TrySplitTerm(term, out var field, out var op, out var rawValue))
            {
                throw new SelectorParseException($"invalid selector: '{text}'; can't understand '{term}'");
            }

            requirements.Add(new FieldRequirement(field, op == "!=" ? SelectorOperator.NotEquals : SelectorOperator.Equals, UnescapeValue(rawValue)));
        }

        return requirements.Count == 0 ? Empty : new([.. requirements]);
    }

    /// <summary>Whether every term holds; <paramref name="fieldValue"/> returns a field's value, or null when the object lacks it.</summary>
    public bool Matches(Func<string, string?> fieldValue)
    {
        ArgumentNullException.ThrowIfNull(fieldValue);
        return _terms.All(r => r.Matches(fieldValue(r.Field)));
    }

    /// <summary>The value <paramref name="field"/> must equal for an object to match, when a term pins it.</summary>
    public bool TryGetExactMatch(string field, out string value)
    {
        foreach (var requirement in _terms)
        {
            if (requirement.Field == field && requirement.Operator == SelectorOperator.Equals)
            {
                value = requirement.Value;
                return true;
            }
        }

        value = "";
        return false;
    }

    /// <summary>Escapes <c>\</c>, <c>,</c> and <c>=</c> in a value so it can be written into a selector.</summary>
    public static string EscapeValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace(",", "\\,", StringComparison.Ordinal)
            .Replace("=", "\\=", StringComparison.Ordinal);
    }

    public override string ToString() => string.Join(",", _terms.Select(r => r.ToString()));

    private static List<string> SplitTerms(string text)
    {
        var terms = new List<string>();
        var start = 0;
        var escaped = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (escaped)
            {
                escaped = false;
            }
            else if (text[i] == '\\')
            {
                escaped = true;
            }
            else if (text[i] == ',')
            {
                terms.Add(text[start..i]);
                start = i + 1;
            }
        }

        terms.Add(text[start..]);
        return terms;
    }

    private static bool TrySplitTerm(string term, out string field, out string op, out string value)
    {
        for (var i = 0; i < term.Length; i++)
        {
            foreach (var candidate in TermOperators)
            {
                if (string.CompareOrdinal(term, i, candidate, 0, candidate.Length) == 0)
                {
                    field = term[..i];
                    op = candidate;
                    value = term[(i + candidate.Length)..];
                    return true;
                }
            }
        }

        field = op = value = "";
        return false;
    }

    private static string UnescapeValue(string raw)
    {
        if (raw.IndexOfAny(['\\', ',', '=']) < 0)
        {
            return raw;
        }

        var builder = new StringBuilder(raw.Length);
        var escaped = false;
        foreach (var rune in raw.EnumerateRunes())
        {
            if (escaped)
            {
                if (rune.Value is not ('\\' or ',' or '='))
                {
                    throw new SelectorParseException($"invalid field selector: invalid escape sequence: \\{rune}");
                }

                builder.Append(rune.ToString());
                escaped = false;
                continue;
            }

            switch (rune.Value)
            {
                case '\\':
                    escaped = true;
                    break;
                case ',' or '=':
                    // Go prints the rune with %v, which is its code point number.
                    throw new SelectorParseException($"invalid field selector: unescaped character in value: {rune.Value}");
                default:
                    builder.Append(rune.ToString());
                    break;
            }
        }

        return escaped
            ? throw new SelectorParseException("invalid field selector: invalid escape sequence: \\")
            : builder.ToString();
    }
}
