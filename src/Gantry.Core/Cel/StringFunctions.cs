using System.Text;

namespace Gantry.Core.Cel;

/// <summary>
/// <c>size</c>, the standard string functions and cel-go's strings extension as Kubernetes enables it. Indexes count
/// code points, as in cel-go, not UTF-16 units.
/// </summary>
internal static class StringFunctions
{
    public static void Register(FunctionRegistry r)
    {
        r.Both("size", 0, a => a[0] switch
        {
            string s => (long)CodePoints.Count(s),
            byte[] b => (long)b.Length,
            CelList l => (long)l.Count,
            CelMap m => (long)m.Count,
            _ => throw CelErrors.NoSuchOverload("size", a),
        });
        r.Member("contains", 1, a => a is [string s, string t] ? s.Contains(t, StringComparison.Ordinal) : throw CelErrors.NoSuchOverload("contains", a));
        r.Member("startsWith", 1, a => a is [string s, string t] ? s.StartsWith(t, StringComparison.Ordinal) : throw CelErrors.NoSuchOverload("startsWith", a));
        r.Member("endsWith", 1, a => a is [string s, string t] ? s.EndsWith(t, StringComparison.Ordinal) : throw CelErrors.NoSuchOverload("endsWith", a));
        r.Member("charAt", 1, a => a is [string s, long i] ? CharAt(s, i) : throw CelErrors.NoSuchOverload("charAt", a));
        r.Member("indexOf", 1, a => a switch
        {
            [string s, string t] => IndexOf(s, t, 0),
            [CelList l, _] => ListFunctions.IndexOf(l, a[1]),
            _ => throw CelErrors.NoSuchOverload("indexOf", a),
        });
        r.Member("indexOf", 2, a => a is [string s, string t, long i] ? IndexOf(s, t, i) : throw CelErrors.NoSuchOverload("indexOf", a));
        r.Member("lastIndexOf", 1, a => a switch
        {
            [string s, string t] => LastIndexOf(s, t, null),
            [CelList l, _] => ListFunctions.LastIndexOf(l, a[1]),
            _ => throw CelErrors.NoSuchOverload("lastIndexOf", a),
        });
        r.Member("lastIndexOf", 2, a => a is [string s, string t, long i] ? LastIndexOf(s, t, i) : throw CelErrors.NoSuchOverload("lastIndexOf", a));
        r.Member("lowerAscii", 0, a => a is [string s] ? MapAscii(s, char.ToLowerInvariant) : throw CelErrors.NoSuchOverload("lowerAscii", a));
        r.Member("upperAscii", 0, a => a is [string s] ? MapAscii(s, char.ToUpperInvariant) : throw CelErrors.NoSuchOverload("upperAscii", a));
        r.Member("replace", 2, a => a is [string s, string o, string n] ? Replace(s, o, n, -1) : throw CelErrors.NoSuchOverload("replace", a));
        r.Member("replace", 3, a => a is [string s, string o, string n, long c] ? Replace(s, o, n, c) : throw CelErrors.NoSuchOverload("replace", a));
        r.Member("split", 1, a => a is [string s, string sep] ? Split(s, sep, -1) : throw CelErrors.NoSuchOverload("split", a));
        r.Member("split", 2, a => a is [string s, string sep, long n] ? Split(s, sep, n) : throw CelErrors.NoSuchOverload("split", a));
        r.Member("substring", 1, a => a is [string s, long start] ? Substring(s, start, null) : throw CelErrors.NoSuchOverload("substring", a));
        r.Member("substring", 2, a => a is [string s, long start, long end] ? Substring(s, start, end) : throw CelErrors.NoSuchOverload("substring", a));
        r.Member("trim", 0, a => a is [string s] ? s.Trim() : throw CelErrors.NoSuchOverload("trim", a));
        r.Member("join", 0, a => a is [CelList l] ? Join(l, "") : throw CelErrors.NoSuchOverload("join", a));
        r.Member("join", 1, a => a is [CelList l, string sep] ? Join(l, sep) : throw CelErrors.NoSuchOverload("join", a));
        r.Global("strings.quote", 1, a => a is [string s] ? Quote(s) : throw CelErrors.NoSuchOverload("strings.quote", a));
    }

    private static string CharAt(string s, long i)
    {
        var cps = CodePoints.Of(s);
        if (i < 0 || i > cps.Length)
        {
            throw CelErrors.IndexOutOfRange(i);
        }
        return i == cps.Length ? "" : CodePoints.ToString(cps.AsSpan((int)i, 1));
    }

    private static long IndexOf(string s, string sub, long offset)
    {
        var text = CodePoints.Of(s);
        if (offset < 0 || offset > text.Length)
        {
            throw CelErrors.IndexOutOfRange(offset);
        }
        return CodePoints.IndexOf(text, CodePoints.Of(sub), (int)offset);
    }

    private static long LastIndexOf(string s, string sub, long? offset)
    {
        var text = CodePoints.Of(s);
        var start = offset ?? text.Length;
        if (start < 0 || start > text.Length)
        {
            throw CelErrors.IndexOutOfRange(start);
        }
        return CodePoints.LastIndexOf(text, CodePoints.Of(sub), (int)start);
    }

    private static string MapAscii(string s, Func<char, char> map) =>
        string.Create(s.Length, s, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsAscii(source[i]) ? map(source[i]) : source[i];
            }
        });

    // Go's strings.Replace: n < 0 replaces all; an empty old string matches at every code point boundary.
    private static string Replace(string s, string old, string replacement, long n)
    {
        if (n == 0 || old == replacement)
        {
            return s;
        }
        var sb = new StringBuilder();
        var count = 0L;
        if (old.Length == 0)
        {
            var cps = CodePoints.Of(s);
            for (var i = 0; i <= cps.Length; i++)
            {
                if (n < 0 || count < n)
                {
                    sb.Append(replacement);
                    count++;
                }
                if (i < cps.Length)
                {
                    sb.Append(CodePoints.ToString(cps.AsSpan(i, 1)));
                }
            }
            return sb.ToString();
        }
        var pos = 0;
        while (n < 0 || count < n)
        {
            var found = s.IndexOf(old, pos, StringComparison.Ordinal);
            if (found < 0)
            {
                break;
            }
            sb.Append(s, pos, found - pos).Append(replacement);
            pos = found + old.Length;
            count++;
        }
        return sb.Append(s, pos, s.Length - pos).ToString();
    }

    // Go's strings.SplitN: n == 0 gives no pieces, n < 0 all, otherwise at most n with the rest in the last.
    private static CelList Split(string s, string sep, long n)
    {
        if (n == 0)
        {
            return CelList.Empty;
        }
        if (sep.Length == 0)
        {
            var cps = CodePoints.Of(s);
            var pieces = new List<object?>();
            for (var i = 0; i < cps.Length; i++)
            {
                if (n > 0 && pieces.Count == n - 1)
                {
                    pieces.Add(CodePoints.ToString(cps.AsSpan(i)));
                    break;
                }
                pieces.Add(CodePoints.ToString(cps.AsSpan(i, 1)));
            }
            return new CelList(pieces);
        }
        var parts = n < 0 ? s.Split(sep) : s.Split(sep, (int)Math.Min(n, int.MaxValue));
        return new CelList(parts);
    }

    private static string Substring(string s, long start, long? end)
    {
        var cps = CodePoints.Of(s);
        var last = end ?? cps.Length;
        if (start < 0 || start > cps.Length)
        {
            throw CelErrors.IndexOutOfRange(start);
        }
        if (last < 0 || last > cps.Length)
        {
            throw CelErrors.IndexOutOfRange(last);
        }
        if (start > last)
        {
            throw new CelEvaluationException($"invalid substring range. start: {start}, end: {last}");
        }
        return CodePoints.ToString(cps.AsSpan((int)start, (int)(last - start)));
    }

    private static string Join(CelList list, string separator) =>
        string.Join(separator, list.Select(item => item as string ?? throw CelErrors.NoSuchOverload("join", list, separator)));

    /// <summary>cel-go's <c>strings.quote</c>: double quotes, with control characters, backslash and quote escaped.</summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '\a' => "\\a",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\v' => "\\v",
                '\\' => "\\\\",
                '"' => "\\\"",
                _ => c.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }
}
