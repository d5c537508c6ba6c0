using System.Text;

namespace Gantry.Core.Selectors;

/// <summary>
/// Splits a label selector into tokens exactly as apimachinery's <c>labels.Lexer</c> does: identifiers run
/// until whitespace or one of <c>=!(),&gt;&lt;</c>, and runs of those symbols become the longest operator they spell.
/// </summary>
internal sealed class LabelSelectorLexer(string text)
{
    private static readonly Dictionary<string, LabelSelectorTokenKind> Keywords = new(StringComparer.Ordinal)
    {
        [")"] = LabelSelectorTokenKind.ClosedParenthesis,
        [","] = LabelSelectorTokenKind.Comma,
        ["!"] = LabelSelectorTokenKind.DoesNotExist,
        ["=="] = LabelSelectorTokenKind.DoubleEquals,
        ["="] = LabelSelectorTokenKind.Equals,
        [">"] = LabelSelectorTokenKind.GreaterThan,
        ["in"] = LabelSelectorTokenKind.In,
        ["<"] = LabelSelectorTokenKind.LessThan,
        ["!="] = LabelSelectorTokenKind.NotEquals,
        ["notin"] = LabelSelectorTokenKind.NotIn,
        ["("] = LabelSelectorTokenKind.OpenParenthesis,
    };

    private int _position;

    public LabelSelectorToken Next()
    {
        var c = SkipWhitespace(Read());
        if (c == '\0')
        {
            return new(LabelSelectorTokenKind.EndOfString, "");
        }

        _position--;
        return IsSpecialSymbol(c) ? ScanSpecialSymbol() : ScanIdentifierOrKeyword();
    }

    private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsSpecialSymbol(char c) => c is '=' or '!' or '(' or ')' or ',' or '>' or '<';

    // Go's lexer reads a NUL byte past the end of the input, and so stops at an embedded one too.
    private char Read() => _position < text.Length ? text[_position++] : '\0';

    private char SkipWhitespace(char c)
    {
        while (IsWhitespace(c))
        {
            c = Read();
        }

        return c;
    }

    private LabelSelectorToken ScanIdentifierOrKeyword()
    {
        var start = _position;
        var end = start;
        while (Read() is var c && c != '\0')
        {
            if (IsSpecialSymbol(c) || IsWhitespace(c))
            {
                _position--;
                break;
            }

            end = _position;
        }

        var literal = text[start..end];
        return Keywords.TryGetValue(literal, out var kind) ? new(kind, literal) : new(LabelSelectorTokenKind.Identifier, literal);
    }

    private LabelSelectorToken ScanSpecialSymbol()
    {
        var buffer = new StringBuilder();
        LabelSelectorToken? last = null;
        while (true)
        {
            var c = Read();
            if (c == '\0')
            {
                break;
            }

            if (!IsSpecialSymbol(c))
            {
                _position--;
                break;
            }

            buffer.Append(c);
            if (Keywords.TryGetValue(buffer.ToString(), out var kind))
            {
                last = new(kind, buffer.ToString());
            }
            else if (last is not null)
            {
                _position--;
                break;
            }
        }

        return last ?? new(LabelSelectorTokenKind.Error, $"error expected: keyword found '{buffer}'");
    }
}
