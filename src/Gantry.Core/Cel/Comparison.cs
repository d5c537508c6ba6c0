namespace Gantry.Core.Cel;

/// <summary>
/// CEL's equality and ordering. Numbers compare by value across int, uint and double (<c>1 == 1u == 1.0</c>);
/// equality of different kinds is false rather than an error; ordering of different non-numeric kinds is an error.
/// </summary>
internal static class Comparison
{
    public static bool Equal(object? a, object? b)
    {
        switch (a, b)
        {
            case (null, null):
                return true;
            case (null, _) or (_, null):
                return false;
            case (long or ulong or double, long or ulong or double):
                return CompareNumbers(a, b) == 0;
            case (string x, string y):
                return string.Equals(x, y, StringComparison.Ordinal);
            case (byte[] x, byte[] y):
                return x.AsSpan().SequenceEqual(y);
            case (CelList x, CelList y):
                if (x.Count != y.Count)
                {
                    return false;
                }
                if (x.IsUnordered || y.IsUnordered)
                {
                    return SameItems(x, y);
                }
                for (var i = 0; i < x.Count; i++)
                {
                    if (!Equal(x[i], y[i]))
                    {
                        return false;
                    }
                }
                return true;
            case (CelMap x, CelMap y):
                if (x.Count != y.Count)
                {
                    return false;
                }
                foreach (var (key, value) in x)
                {
                    if (!y.TryGetValue(key, out var other) || !Equal(value, other))
                    {
                        return false;
                    }
                }
                return true;
            default:
                return a.GetType() == b.GetType() && a.Equals(b);
        }
    }

    /// <summary>Orders two values: negative, zero or positive; null when either is NaN (every comparison is then false).</summary>
    public static int? Compare(string function, object? a, object? b) => (a, b) switch
    {
        (long or ulong or double, long or ulong or double) => CompareNumbers(a, b),
        (string x, string y) => CompareCodePoints(x, y),
        (byte[] x, byte[] y) => x.AsSpan().SequenceCompareTo(y),
        (bool x, bool y) => x.CompareTo(y),
        (TimeSpan x, TimeSpan y) => x.CompareTo(y),
        (DateTimeOffset x, DateTimeOffset y) => x.CompareTo(y),
        _ => throw CelErrors.NoSuchOverload(function, a, b),
    };

    public static int? CompareNumbers(object a, object b) => (a, b) switch
    {
        (long x, long y) => x.CompareTo(y),
        (ulong x, ulong y) => x.CompareTo(y),
        (double x, double y) => double.IsNaN(x) || double.IsNaN(y) ? null : x.CompareTo(y),
        (long x, ulong y) => x < 0 ? -1 : ((ulong)x).CompareTo(y),
        (ulong x, long y) => y < 0 ? 1 : x.CompareTo((ulong)y),
        (long x, double y) => CompareIntDouble(x, y),
        (double x, long y) => -CompareIntDouble(y, x),
        (ulong x, double y) => CompareUintDouble(x, y),
        (double x, ulong y) => -CompareUintDouble(y, x),
        _ => throw new InvalidOperationException("not numbers"),
    };

    // Exact, not via (double)x: above 2^53 a long does not fit a double and 2^63-1 would equal 2^63.
    private static int? CompareIntDouble(long x, double y)
    {
        if (double.IsNaN(y))
        {
            return null;
        }
        if (y >= 9223372036854775808.0)
        {
            return -1;
        }
        if (y < -9223372036854775808.0)
        {
            return 1;
        }
        var whole = (long)Math.Truncate(y);
        var c = x.CompareTo(whole);
        return c != 0 ? c : -(y - whole).CompareTo(0.0);
    }

    private static int? CompareUintDouble(ulong x, double y)
    {
        if (double.IsNaN(y))
        {
            return null;
        }
        if (y < 0)
        {
            return 1;
        }
        if (y >= 18446744073709551616.0)
        {
            return -1;
        }
        var whole = (ulong)Math.Truncate(y);
        var c = x.CompareTo(whole);
        return c != 0 ? c : -(y - whole).CompareTo(0.0);
    }

    // CEL orders strings by code point; UTF-16 ordinal order differs for characters above the surrogate range.
    private static int CompareCodePoints(string x, string y)
    {
        var i = 0;
        var j = 0;
        while (i < x.Length && j < y.Length)
        {
            var a = x.ConvertToUtf32Safe(i, out var na);
            var b = y.ConvertToUtf32Safe(j, out var nb);
            if (a != b)
            {
                return a.CompareTo(b);
            }
            i += na;
            j += nb;
        }
        return (x.Length - i).CompareTo(y.Length - j);
    }

    /// <summary>Whether two lists of one length hold the same items, each matched once, in any order.</summary>
    private static bool SameItems(CelList x, CelList y)
    {
        var matched = new bool[y.Count];
        foreach (var item in x)
        {
            var found = false;
            for (var j = 0; j < y.Count && !found; j++)
            {
                if (!matched[j] && Equal(item, y[j]))
                {
                    matched[j] = found = true;
                }
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }
}
