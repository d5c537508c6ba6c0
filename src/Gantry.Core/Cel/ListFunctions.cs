namespace Gantry.Core.Cel;

/// <summary>Kubernetes' list library (<c>isSorted</c>, <c>sum</c>, <c>min</c>, <c>max</c>, <c>indexOf</c>, <c>lastIndexOf</c>) and cel-go's sets extension.</summary>
internal static class ListFunctions
{
    public static void Register(FunctionRegistry r)
    {
        r.Member("isSorted", 0, a => a is [CelList l] ? IsSorted(l) : throw CelErrors.NoSuchOverload("isSorted", a));
        r.Member("sum", 0, a => a is [CelList l] ? Sum(l) : throw CelErrors.NoSuchOverload("sum", a));
        r.Member("min", 0, a => a is [CelList l] ? Extreme(l, "min", -1) : throw CelErrors.NoSuchOverload("min", a));
        r.Member("max", 0, a => a is [CelList l] ? Extreme(l, "max", 1) : throw CelErrors.NoSuchOverload("max", a));
        r.Global("sets.contains", 2, a => a is [CelList x, CelList y] ? Contains(x, y) : throw CelErrors.NoSuchOverload("sets.contains", a));
        r.Global("sets.equivalent", 2, a => a is [CelList x, CelList y]
            ? Contains(x, y) && Contains(y, x)
            : throw CelErrors.NoSuchOverload("sets.equivalent", a));
        r.Global("sets.intersects", 2, a => a is [CelList x, CelList y]
            ? x.Any(e => y.Any(f => Comparison.Equal(e, f)))
            : throw CelErrors.NoSuchOverload("sets.intersects", a));
    }

    public static long IndexOf(CelList list, object? value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (Comparison.Equal(list[i], value))
            {
                return i;
            }
        }
        return -1;
    }

    public static long LastIndexOf(CelList list, object? value)
    {
        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (Comparison.Equal(list[i], value))
            {
                return i;
            }
        }
        return -1;
    }

    private static bool IsSorted(CelList list)
    {
        for (var i = 1; i < list.Count; i++)
        {
            if (Comparison.Compare("isSorted", list[i - 1], list[i]) > 0)
            {
                return false;
            }
        }
        return true;
    }

    // An empty list sums to int 0: without static types the element type is unknown.
    private static object? Sum(CelList list)
    {
        object? total = list.Count == 0 ? 0L : null;
        foreach (var item in list)
        {
            if (item is not (long or ulong or double or TimeSpan))
            {
                throw CelErrors.NoSuchOverload("sum", list);
            }
            total = total is null ? item : Arithmetic.Add(total, item);
        }
        return total;
    }

    private static object? Extreme(CelList list, string name, int sign)
    {
        if (list.Count == 0)
        {
            throw new CelEvaluationException($"{name} called on empty list");
        }
        var best = list[0];
        for (var i = 1; i < list.Count; i++)
        {
            if (Comparison.Compare(name, list[i], best) * sign > 0)
            {
                best = list[i];
            }
        }
        if (list.Count == 1)
        {
            // Still a type check, so that [[1]].max() is an error as in Kubernetes.
            Comparison.Compare(name, best, best);
        }
        return best;
    }

    private static bool Contains(CelList container, CelList items) =>
        items.All(item => container.Any(e => Comparison.Equal(e, item)));
}
