using System.Text;

namespace Gantry.Core.Cel;

/// <summary>Splits a CEL expression into tokens per the CEL grammar's lexical rules, decoding string and bytes literals.</summary>
internal sealed class Lexer(string source)
{
    private int _pos;

    public List<Token> Tokenize()
    {
        var tokens = new List<Token>();
        while (true)
        {
            SkipSpaceAndComments();
            if (_pos >= source.Length)
            {
                tokens.Add(new Token(TokenKind.End, "<EOF>", _pos));
                return tokens;
            }
            tokens.Add(Next());
        }
    }

    private void SkipSpaceAndComments()
    {
        while (_pos < source.Length)
        {
            var c = source[_pos];
            if (c is ' ' or '\t' or '\n' or '\r' or '\f')
            {
                _pos++;
            }
            else if (c == '/' && Peek(1) == '/')
            {
                while (_pos < source.Length && source[_pos] != '\n')
                {
                    _pos++;
                }
            }
            else
            {
                return;
            }
        }
    }

    private char Peek(int offset) => _pos + offset < source.Length ? source[_pos + offset] : '\0';

    private Token Next()
    {
        var start = _pos;
        var c = source[_pos];
        if (char.IsAsciiDigit(c) || c == '.' && char.IsAsciiDigit(Peek(1)))
        {
            return Number();
        }
        if (c is '"' or '\'')
        {
            return StringLiteral(start, raw: false, bytes: false);
        }
        if (char.IsAsciiLetter(c) || c == '_')
        {
            if (TryStringPrefix(out var raw, out var bytes))
            {
                return StringLiteral(start, raw, bytes);
            }
            while (_pos < source.Length && (char.IsAsciiLetterOrDigit(source[_pos]) || source[_pos] == '_'))
            {
                _pos++;
            }
            var word = source[start.._pos];
            var kind = word switch
            {
                "true" => TokenKind.True,
                "false" => TokenKind.False,
                "null" => TokenKind.Null,
                "in" => TokenKind.In,
                _ => TokenKind.Ident,
            };
            return new Token(kind, word, start);
        }
        var two = _pos + 1 < source.Length ? source.Substring(_pos, 2) : "";
        var twoKind = two switch
        {
            "<=" => TokenKind.LessEqual,
            ">=" => TokenKind.GreaterEqual,
            "==" => TokenKind.EqualEqual,
            "!=" => TokenKind.NotEqual,
            "&&" => TokenKind.AndAnd,
            "||" => TokenKind.OrOr,
            _ => TokenKind.End,
        };
        if (twoKind != TokenKind.End)
        {
            _pos += 2;
            return new Token(twoKind, two, start);
        }
        var oneKind = c switch
        {
            '(' => TokenKind.LParen,
            ')' => TokenKind.RParen,
            '[' => TokenKind.LBracket,
            ']' => TokenKind.RBracket,
            '{' => TokenKind.LBrace,
            '}' => TokenKind.RBrace,
            '.' => TokenKind.Dot,
            ',' => TokenKind.Comma,
            ':' => TokenKind.Colon,
            '?' => TokenKind.Question,
            '+' => TokenKind.Plus,
            '-' => TokenKind.Minus,
            '*' => TokenKind.Star,
            '/' => TokenKind.Slash,
            '%' => TokenKind.Percent,
            '!' => TokenKind.Bang,
            '<' => TokenKind.Less,
            '>' => TokenKind.Greater,
            _ => TokenKind.End,
        };
        if (oneKind == TokenKind.End)
        {
            if (c == '`')
            {
                throw SourceErrors.Unsupported(source, start, "backtick-quoted identifiers are not supported");
            }
            throw SourceErrors.Syntax(source, start, $"token recognition error at: '{c}'");
        }
        _pos++;
        return new Token(oneKind, c.ToString(), start);
    }

    private bool TryStringPrefix(out bool raw, out bool bytes)
    {
        raw = bytes = false;
        var i = _pos;
        for (var n = 0; n < 2 && i < source.Length; n++, i++)
        {
            var p = char.ToLowerInvariant(source[i]);
            if (p == 'r' && !raw)
            {
                raw = true;
            }
            else if (p == 'b' && !bytes)
            {
                bytes = true;
            }
            else
            {
                break;
            }
        }
        if (i > _pos && i < source.Length && source[i] is '"' or '\'')
        {
            _pos = i;
            return true;
        }
        raw = bytes = false;
        return false;
    }

    private Token Number()
    {
        var start = _pos;
        if (source[_pos] == '0' && Peek(1) is 'x' or 'X')
        {
            _pos += 2;
            while (_pos < source.Length && char.IsAsciiHexDigit(source[_pos]))
            {
                _pos++;
            }
            if (_pos == start + 2)
            {
                throw SourceErrors.Syntax(source, start, "invalid hex literal");
            }
            return IntegerSuffix(start);
        }
        var isDouble = false;
        SkipDigits();
        if (Peek(0) == '.' && char.IsAsciiDigit(Peek(1)))
        {
            isDouble = true;
            _pos++;
            SkipDigits();
        }
        if (Peek(0) is 'e' or 'E' && (char.IsAsciiDigit(Peek(1)) || Peek(1) is '+' or '-' && char.IsAsciiDigit(Peek(2))))
        {
            isDouble = true;
            _pos += char.IsAsciiDigit(Peek(1)) ? 1 : 2;
            SkipDigits();
        }
        return isDouble ? new Token(TokenKind.Double, source[start.._pos], start) : IntegerSuffix(start);
    }

    private Token IntegerSuffix(int start)
    {
        if (Peek(0) is 'u' or 'U')
        {
            _pos++;
            return new Token(TokenKind.Uint, source[start..(_pos - 1)], start);
        }
        return new Token(TokenKind.Int, source[start.._pos], start);
    }

    private void SkipDigits()
    {
        while (_pos < source.Length && char.IsAsciiDigit(source[_pos]))
        {
            _pos++;
        }
    }

    private Token StringLiteral(int start, bool raw, bool bytes)
    {
        var quote = source[_pos];
        var triple = Peek(1) == quote && Peek(2) == quote;
        _pos += triple ? 3 : 1;
        var text = new List<byte>();
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= source.Length)
            {
                throw SourceErrors.Syntax(source, start, "unterminated string literal");
            }
            var c = source[_pos];
            if (c == quote && (!triple || Peek(1) == quote && Peek(2) == quote))
            {
                _pos += triple ? 3 : 1;
                break;
            }
            if (!triple && c is '\n' or '\r')
            {
                throw SourceErrors.Syntax(source, start, "newline in string literal");
            }
            if (c == '\\' && !raw)
            {
                Escape(start, bytes, sb, text);
                continue;
            }
            var cp = source.ConvertToUtf32Safe(_pos, out var width);
            _pos += width;
            AppendCodePoint(cp, bytes, sb, text);
        }
        var tokenText = source[start.._pos];
        return bytes
            ? new Token(TokenKind.Bytes, tokenText, start, text.ToArray())
            : new Token(TokenKind.String, tokenText, start, sb.ToString());
    }

    private static void AppendCodePoint(int cp, bool bytes, StringBuilder sb, List<byte> text)
    {
        var s = cp is >= 0xD800 and <= 0xDFFF ? ((char)cp).ToString() : char.ConvertFromUtf32(cp);
        if (bytes)
        {
            text.AddRange(Encoding.UTF8.GetBytes(s));
        }
        else
        {
            sb.Append(s);
        }
    }

    private void Escape(int start, bool bytes, StringBuilder sb, List<byte> text)
    {
        var at = _pos;
        _pos++;
        if (_pos >= source.Length)
        {
            throw SourceErrors.Syntax(source, start, "unterminated string literal");
        }
        var e = source[_pos++];
        int? simple = e switch
        {
            'a' => 7, 'b' => 8, 'f' => 12, 'n' => 10, 'r' => 13, 't' => 9, 'v' => 11,
            '\\' => '\\', '\'' => '\'', '"' => '"', '`' => '`', '?' => '?',
            _ => null,
        };
        if (simple is { } s)
        {
            AppendCodePoint(s, bytes, sb, text);
            return;
        }
        switch (e)
        {
            case 'x' or 'X':
                Emit(ReadHex(2), raw: true);
                return;
            case 'u':
                Emit(ReadHex(4), raw: false);
                return;
            case 'U':
                Emit(ReadHex(8), raw: false);
                return;
            case >= '0' and <= '3':
                if (_pos + 1 < source.Length && source[_pos] is >= '0' and <= '7' && source[_pos + 1] is >= '0' and <= '7')
                {
                    var value = (e - '0') * 64 + (source[_pos] - '0') * 8 + (source[_pos + 1] - '0');
                    _pos += 2;
                    Emit(value, raw: true);
                    return;
                }
                break;
        }
        throw SourceErrors.Syntax(source, at, $"invalid escape sequence '\\{e}'");

        int ReadHex(int digits)
        {
            if (_pos + digits > source.Length || !source.Substring(_pos, digits).All(char.IsAsciiHexDigit))
            {
                throw SourceErrors.Syntax(source, at, "invalid escape sequence");
            }
            var value = Convert.ToInt32(source.Substring(_pos, digits), 16);
            _pos += digits;
            return value;
        }

        // In bytes literals \x and octal escapes are single bytes; elsewhere every escape is a code point.
        void Emit(int value, bool raw)
        {
            if (bytes && raw)
            {
                text.Add((byte)value);
            }
            else if (value > 0x10FFFF || value is >= 0xD800 and <= 0xDFFF)
            {
                throw SourceErrors.Syntax(source, at, "invalid unicode code point");
            }
            else
            {
                AppendCodePoint(value, bytes, sb, text);
            }
        }
    }
}
