namespace Gantry.Core.Cel;

/// <summary>CEL strings index by code point, .NET strings by UTF-16 unit; these helpers bridge the two.</summary>
internal static class CodePoints
{
    /// <summary>The code point at <paramref name="index"/>, reading a lone surrogate as itself.</summary>
    public static int ConvertToUtf32Safe(this string s, int index, out int width)
    {
        if (char.IsHighSurrogate(s[index]) && index + 1 < s.Length && char.IsLowSurrogate(s[index + 1]))
        {
            width = 2;
            return char.ConvertToUtf32(s[index], s[index + 1]);
        }
        width = 1;
        return s[index];
    }

    public static int[] Of(string s)
    {
        var result = new List<int>(s.Length);
        for (var i = 0; i < s.Length;)
        {
            result.Add(s.ConvertToUtf32Safe(i, out var width));
            i += width;
        }
        return [.. result];
    }

    public static int Count(string s)
    {
        var n = 0;
        for (var i = 0; i < s.Length; n++)
        {
            s.ConvertToUtf32Safe(i, out var width);
            i += width;
        }
        return n;
    }

    public static string ToString(ReadOnlySpan<int> codePoints)
    {
        var sb = new System.Text.StringBuilder(codePoints.Length);
        foreach (var cp in codePoints)
        {
            if (cp is >= 0xD800 and <= 0xDFFF)
            {
                sb.Append((char)cp);
            }
            else
            {
                sb.Append(char.ConvertFromUtf32(cp));
            }
        }
        return sb.ToString();
    }

    public static int IndexOf(ReadOnlySpan<int> text, ReadOnlySpan<int> sub, int start)
    {
        for (var i = start; i + sub.Length <= text.Length; i++)
        {
            if (text.Slice(i, sub.Length).SequenceEqual(sub))
            {
                return i;
            }
        }
        return -1;
    }

    public static int LastIndexOf(ReadOnlySpan<int> text, ReadOnlySpan<int> sub, int start)
    {
        for (var i = Math.Min(start, text.Length - sub.Length); i >= 0; i--)
        {
            if (text.Slice(i, sub.Length).SequenceEqual(sub))
            {
                return i;
            }
        }
        return -1;
    }
}
